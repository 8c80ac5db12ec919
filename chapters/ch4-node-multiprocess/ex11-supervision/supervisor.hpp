// 进程守护 — the primary as a guardian angel (the seed's words): keep N
// workers running, replace one that dies unexpectedly, don't respawn a worker
// that crashes on start-up in a tight loop, restart everyone one at a time
// without dropping a request, and relay messages between workers (their only
// IPC channel goes to the primary).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "cluster.hpp"
#include "event_emitter.hpp"

namespace kata::cluster {

struct SupervisorOptions {
  int workers = 2;
  // A worker that exits before it is listening crashed on start-up. The
  // n-th such crash in a row waits backoff_initial_ms · 2^(n-1) (capped)
  // before the next fork; a worker that got to listen resets the count
  // and is replaced at once.
  double backoff_initial_ms = 100;
  double backoff_max_ms = 5000;
  int max_startup_crashes = 10;  // then give up: emit "giveup" and stop forking
  std::map<std::string, std::string> env;  // for each fork
};

// How long to wait before the next fork after `consecutive_crashes` start-up
// crashes in a row (0 → no wait).
double backoff_ms(int consecutive_crashes, const SupervisorOptions& options);

// Events: "restart" (int old_id, int new_id, double delay_ms) when a
// replacement is forked; "giveup" (int crashes) when it stops trying.
class Supervisor : public events::EventEmitter {
 public:
  Supervisor(Cluster& cluster, SupervisorOptions options);

  // Forks the workers and starts guarding them; relays {"to": id, "data": x}
  // from a worker to worker `id` as {"from": sender, "data": x}.
  void start();

  // One worker at a time: fork the replacement, wait until it listens, then
  // disconnect the old one and wait for its exit. `done` after the last.
  void rolling_restart(std::function<void()> done = {});

  // No more restarts; disconnect everyone; `done` when all have exited.
  void stop(std::function<void()> done = {});

  int restarts() const { return restarts_; }
  int consecutive_crashes() const { return consecutive_crashes_; }

 private:
  void fork_one();
  void on_exit(const std::shared_ptr<Worker>& w);
  void on_message(const std::shared_ptr<Worker>& w, const Json& msg);
  void restart_next(std::vector<int> ids, std::function<void()> done);

  Cluster& cluster_;
  SupervisorOptions options_;
  bool stopping_ = false;
  bool gave_up_ = false;
  int restarts_ = 0;
  int consecutive_crashes_ = 0;
  std::map<int, bool> listened_;  // worker id → got to 'listening'
};

}  // namespace kata::cluster
