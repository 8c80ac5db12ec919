#include "supervisor.hpp"

#include <algorithm>
#include <cmath>

namespace kata::cluster {

double backoff_ms(int consecutive_crashes, const SupervisorOptions& o) {
  if (consecutive_crashes <= 0) return 0;
  const double d = o.backoff_initial_ms * std::pow(2.0, consecutive_crashes - 1);
  return std::min(d, o.backoff_max_ms);
}

Supervisor::Supervisor(Cluster& cluster, SupervisorOptions options)
    : cluster_(cluster), options_(std::move(options)) {}

void Supervisor::start() {
  cluster_.on("listening", [this](const events::Args& a) {
    auto w = std::any_cast<std::shared_ptr<Worker>>(a.at(0));
    listened_[w->id()] = true;
    consecutive_crashes_ = 0;  // this one got going
  });
  cluster_.on("exit", [this](const events::Args& a) { on_exit(std::any_cast<std::shared_ptr<Worker>>(a.at(0))); });
  cluster_.on("message", [this](const events::Args& a) {
    on_message(std::any_cast<std::shared_ptr<Worker>>(a.at(0)), std::any_cast<Json>(a.at(1)));
  });
  for (int i = 0; i < options_.workers; ++i) fork_one();
}

void Supervisor::fork_one() {
  auto w = cluster_.fork(options_.env);
  listened_[w->id()] = false;
}

void Supervisor::on_exit(const std::shared_ptr<Worker>& w) {
  const bool got_going = listened_[w->id()];
  listened_.erase(w->id());
  // Intended exits are not failures: disconnect() (rolling restart, stop).
  if (stopping_ || gave_up_ || w->exited_after_disconnect()) return;
  if (!got_going) ++consecutive_crashes_;
  if (consecutive_crashes_ > options_.max_startup_crashes) {
    gave_up_ = true;
    emit("giveup", consecutive_crashes_);
    return;
  }
  const double delay = got_going ? 0 : backoff_ms(consecutive_crashes_, options_);
  const int old_id = w->id();
  auto replace = [this, old_id, delay] {
    if (stopping_) return;
    auto nw = cluster_.fork(options_.env);
    listened_[nw->id()] = false;
    ++restarts_;
    emit("restart", old_id, nw->id(), delay);
  };
  if (delay <= 0)
    replace();  // a worker that was serving: replace it now
  else
    cluster_.loop().set_timeout(replace, delay);
}

void Supervisor::on_message(const std::shared_ptr<Worker>& from, const Json& msg) {
  // Workers have no channel to each other: the primary forwards by id.
  if (!msg.is_object() || !msg.contains("to")) return;
  const auto& workers = cluster_.workers();
  auto it = workers.find(msg["to"].get<int>());
  if (it == workers.end()) return;
  it->second->send(Json{{"from", from->id()}, {"data", msg.value("data", Json())}});
}

void Supervisor::rolling_restart(std::function<void()> done) {
  std::vector<int> ids;
  for (auto& [id, w] : cluster_.workers()) ids.push_back(id);
  restart_next(std::move(ids), std::move(done));
}

void Supervisor::restart_next(std::vector<int> ids, std::function<void()> done) {
  if (stopping_ || ids.empty()) {
    if (done) done();
    return;
  }
  const int old_id = ids.front();
  ids.erase(ids.begin());
  auto it = cluster_.workers().find(old_id);
  if (it == cluster_.workers().end()) return restart_next(std::move(ids), std::move(done));
  std::shared_ptr<Worker> old = it->second;
  auto fresh = cluster_.fork(options_.env);
  listened_[fresh->id()] = false;
  ++restarts_;
  // The new one must be taking connections before the old one stops.
  fresh->once("listening", [this, old, ids, done, fresh_id = fresh->id()](const events::Args&) {
    emit("restart", old->id(), fresh_id, 0.0);
    old->once("exit", [this, ids, done](const events::Args&) { restart_next(ids, done); });
    old->disconnect();
  });
}

void Supervisor::stop(std::function<void()> done) {
  stopping_ = true;
  cluster_.disconnect(std::move(done));
}

}  // namespace kata::cluster
