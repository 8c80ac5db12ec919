// The primary's side of cluster (lib/internal/cluster/primary.js):
// fork a worker, follow its life through IPC messages and its exit, and emit
// the events in Node's order.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>

#include "cluster.hpp"
#include "cluster_plumbing.hpp"

namespace kata::cluster {

std::shared_ptr<Worker> Cluster::fork(const std::map<std::string, std::string>& env) {
  if (is_worker_) throw std::logic_error("cluster.fork() is for the primary");
  auto w = std::shared_ptr<Worker>(new Worker(*this, next_id_++));
  const Launched child = launch_worker(settings_, env, w->id_);
  w->pid_ = child.pid;
  workers_[w->id_] = w;
  all_[w->id_] = w;
  connect_worker(w, child.channel_fd);
  watch_exit(w);  // the one reaper
  // The cluster hears a worker's messages before anyone else (Node subscribes here).
  std::weak_ptr<Worker> weak = w;
  w->on("message", [this, weak](const events::Args& a) {
    if (auto sw = weak.lock()) emit("message", sw, a.at(0));
  });
  auto alive = alive_;
  loop_.next_tick([this, alive, w] {
    if (*alive) emit("fork", w);
  });
  return w;
}

void Cluster::on_worker_message(const std::shared_ptr<Worker>& w, Json msg, int fd) {
  if (fd >= 0) ::close(fd);  // workers send no handles to the primary
  if (!is_internal(msg)) {
    w->emit("message", std::move(msg));
    return;
  }
  if (msg.contains("ack")) {  // a reply to something we sent (newconn)
    settle_reply(msg["ack"].get<std::uint64_t>(), msg);
    return;
  }
  const std::string act = msg.value("act", "");
  if (act == "online") {
    w->state_ = "online";
    w->emit("online");
    emit("online", w);
  } else if (act == "listening") {
    const net::Address address{msg.value("address", ""), msg.value("port", 0)};
    w->state_ = "listening";
    w->emit("listening", address);
    emit("listening", w, address);
  } else if (act == "queryServer") {
    query_server(w, msg);
  } else if (act == "close") {
    close_server(*w, msg.value("key", ""), /*dead=*/false);
  } else if (act == "exitedAfterDisconnect") {
    w->exited_after_disconnect_ = true;
    send_to_worker(*w, Json{{"ack", msg.value("seq", 0)}});
  } else if (act == "served") {
    served_[w->id_] = msg.value("requests", std::uint64_t{0});
  }
}

void Cluster::on_worker_channel_closed(const std::shared_ptr<Worker>& w) {
  if (w->channel_closed_) return;
  w->channel_closed_ = true;
  remove_handles_for(*w, /*dead=*/true);  // nothing it was sent will be answered now
  if (!w->is_dead()) w->state_ = "disconnected";
  w->emit("disconnect");
  emit("disconnect", w);
  maybe_remove(w);
}

void Cluster::on_worker_exit(const std::shared_ptr<Worker>& w) {
  int status = 0;
  if (::waitpid(w->pid_, &status, WNOHANG) == 0) return;  // not yet (a spurious wake-up)
  w->exited_ = true;
  if (WIFEXITED(status)) w->exit_code_ = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) w->signal_code_ = signal_name(WTERMSIG(status));
  // Node: 'disconnect' always comes before 'exit'. A killed worker's channel
  // EOF may still be unread: close it now so the order holds.
  if (!w->channel_closed_) {
    w->channel_->close();
    on_worker_channel_closed(w);
  }
  w->state_ = "dead";
  w->emit("exit", w->exit_code_, w->signal_code_);
  emit("exit", w, w->exit_code_, w->signal_code_);
  // 'exit' is a worker's last event: drop its listeners. Node code captures
  // `worker` in its own listeners freely (the GC collects that cycle); here
  // it would keep the Worker, its channel and its fds alive for ever.
  for (const auto& name : w->event_names()) w->remove_all_listeners(name);
  maybe_remove(w);
}

void Cluster::maybe_remove(const std::shared_ptr<Worker>& w) {
  if (!w->channel_closed_ || !w->exited_) return;
  workers_.erase(w->id_);
  auto it = all_.find(w->id_);
  if (it != all_.end()) {
    // The channel object may still be in its close phase: let the loop finish it.
    auto keep = it->second;
    all_.erase(it);
    loop_.set_immediate([keep] {});
  }
}

bool Worker::send(const Json& msg) {
  if (cluster_.is_worker()) return cluster_.channel_ && cluster_.channel_->send(msg);
  return channel_ && !channel_closed_ && channel_->send(msg);
}

void Worker::disconnect() {
  if (cluster_.is_worker()) return cluster_.worker_disconnect();
  if (channel_closed_ || exited_) return;
  exited_after_disconnect_ = true;
  cluster_.send_to_worker(*this, Json{{"act", "disconnect"}});
  cluster_.remove_handles_for(*this, /*dead=*/false);  // no new connections for it from now on
}

void Worker::kill(int signal) {
  if (cluster_.is_worker()) {
    ::kill(::getpid(), signal);
    return;
  }
  // Node ≥ 14: just the signal — exited_after_disconnect stays false.
  if (!exited_ && pid_ > 0) ::kill(pid_, signal);
}

}  // namespace kata::cluster
