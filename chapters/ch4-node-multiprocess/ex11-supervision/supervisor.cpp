#include "supervisor.hpp"

#include <algorithm>
#include <cmath>

#include "kata/todo.hpp"

namespace kata::cluster {

double backoff_ms(int consecutive_crashes, const SupervisorOptions& o) {
  (void)consecutive_crashes, (void)o;
  KATA_TODO("0 for 0 crashes, else backoff_initial_ms * 2^(n-1), capped at backoff_max_ms (hint 1)");
}

Supervisor::Supervisor(Cluster& cluster, SupervisorOptions options)
    : cluster_(cluster), options_(std::move(options)) {}

void Supervisor::start() {
  KATA_TODO("listen to the cluster (listening resets the crash count, exit → on_exit, message → on_message), then fork options_.workers workers (hint 2)");
}

void Supervisor::fork_one() {
  KATA_TODO("fork with options_.env; remember it has not listened yet");
}

void Supervisor::on_exit(const std::shared_ptr<Worker>& w) {
  (void)w;
  KATA_TODO("ignore intended exits (stopping, gave up, exited_after_disconnect); a worker that never listened is a start-up crash: count it, give up past max_startup_crashes, else fork again after backoff_ms; one that was serving is replaced at once; emit restart (hints 3, 4)");
}

void Supervisor::on_message(const std::shared_ptr<Worker>& from, const Json& msg) {
  (void)from, (void)msg;
  KATA_TODO("{to: id, data} from a worker → workers[id].send({from: sender, data}) (hint 5)");
}

void Supervisor::rolling_restart(std::function<void()> done) {
  (void)done;
  KATA_TODO("snapshot the worker ids, then restart_next (hint 6)");
}

void Supervisor::restart_next(std::vector<int> ids, std::function<void()> done) {
  (void)ids, (void)done;
  KATA_TODO("fork the replacement; once it listens: emit restart, disconnect the old one, and when the old one exits go on with the rest; done() at the end (hint 6)");
}

void Supervisor::stop(std::function<void()> done) {
  (void)done;
  KATA_TODO("no more restarts; cluster.disconnect(done)");
}

}  // namespace kata::cluster
