// kata::cluster — Node's cluster module on the chapter 3 event loop.
//
// One program, two roles (the seed: `if (cluster.isMaster) { fork… } else { serve }`):
// cluster::Cluster::fork() re-executes the program (by default /proc/self/exe)
// with NODE_UNIQUE_ID=<worker id> and NODE_CHANNEL_FD=<ipc fd> in its
// environment; a process that finds them is a worker. The primary sees each
// worker through a Worker object and these events, in Node's order:
//
//   'fork' → 'online' → 'listening' → ('message' …) → 'disconnect' → 'exit'
//
// (the Worker emits each one first, then the Cluster, except 'message',
// which the cluster hears first: it subscribed when it forked the worker).
//
// Scheduling (how connections reach workers) is chosen like
// NODE_CLUSTER_SCHED_POLICY: rr (default: the primary accepts and hands each
// connection to the next idle worker, exercise 8), none (the primary creates
// the socket and gives it to every worker: they all accept on it, the seed's
// 惊群 model), reuseport (each worker its own SO_REUSEPORT socket: the kernel
// hashes connections across them). Exercise 10 writes that part.
#pragma once

#include <sys/types.h>

#include <csignal>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "event_emitter.hpp"
#include "http_server.hpp"
#include "ipc_channel.hpp"
#include "net.hpp"
#include "node_runtime.hpp"
#include "round_robin.hpp"

namespace kata::cluster {

using Json = nlohmann::ordered_json;

enum class SchedulingPolicy { none, rr, reuseport };
// NODE_CLUSTER_SCHED_POLICY: "none" | "rr" | "reuseport"; unset → rr (Node's Linux default).
SchedulingPolicy policy_from_env();
std::string to_string(SchedulingPolicy policy);

// rr: how long the primary waits for a worker's answer to a newconn before
// it treats the connection as refused (the worker is hung, or the fd never
// arrived: a worker out of fds gets MSG_CTRUNC and the handle is lost).
inline constexpr double kRrReplyTimeoutMs = 1000;
// rr: how often one connection is sent to a worker before the primary closes it.
inline constexpr std::size_t kRrMaxDispatches = 3;
// rr: after accept() failed with EMFILE/ENFILE, the primary stops accepting
// this long (else the ready listening socket would wake it in a busy loop).
inline constexpr double kAcceptRetryMs = 50;

struct Settings {
  std::string exec = "/proc/self/exe";      // cluster.settings.exec: the program to run
  std::vector<std::string> args;            // its argv[1..]
  std::map<std::string, std::string> env;   // added to each worker's environment
  std::optional<SchedulingPolicy> policy;   // unset → policy_from_env()
  double disconnect_grace_ms = 5000;        // worker: in-flight requests get this long
  // rr: unacknowledged connections a worker may hold (exercise 8's window).
  // 1 is Node's algorithm (round_robin_handle.js: one connection, then wait
  // for the worker's reply); more is this kata's extension (see the lab).
  std::size_t rr_max_in_flight = 1;
  double rr_reply_timeout_ms = kRrReplyTimeoutMs;  // 0 = wait for ever (Node)
  std::size_t rr_max_dispatches = kRrMaxDispatches;  // 0 = no limit (Node)
};

// What the primary had to give up on (all 0 on a healthy day).
struct ClusterStats {
  std::uint64_t dropped_connections = 0;  // accepted, closed without reaching a worker
  std::uint64_t reply_timeouts = 0;       // newconn dispatches nobody answered in time
  std::uint64_t accept_errors = 0;        // accept() failed: EMFILE/ENFILE (then backed off)
  std::uint64_t ipc_errors = 0;           // 'error' events of the IPC channel(s)
};

class Cluster;

// cluster.Worker. In the primary: one per forked process. In a worker:
// cluster.worker(), the process itself (send() goes to the primary).
class Worker : public events::EventEmitter {
 public:
  int id() const { return id_; }
  pid_t pid() const { return pid_; }
  // "none" → "online" → "listening" → "disconnected" → "dead"
  const std::string& state() const { return state_; }
  bool is_connected() const;
  bool is_dead() const { return state_ == "dead"; }
  // true when disconnect() (or kill() from the primary) caused the exit.
  bool exited_after_disconnect() const { return exited_after_disconnect_; }
  std::optional<int> exit_code() const { return exit_code_; }
  std::optional<std::string> signal_code() const { return signal_code_; }

  // A user message to the other side ('message' there). false if not connected.
  bool send(const Json& msg);
  // Primary: ask the worker to close its servers, finish in-flight requests
  // and exit. Worker: do that to yourself.
  void disconnect();
  // Primary: signal the worker process (SIGTERM by default). Unlike
  // disconnect(), exited_after_disconnect stays false (Node ≥ 14).
  void kill(int signal = SIGTERM);

 private:
  friend class Cluster;
  Worker(Cluster& cluster, int id) : cluster_(cluster), id_(id) {}
  Cluster& cluster_;
  int id_;
  pid_t pid_ = -1;
  std::string state_ = "none";
  bool exited_after_disconnect_ = false;
  std::optional<int> exit_code_;
  std::optional<std::string> signal_code_;
  // primary side
  std::unique_ptr<Channel> channel_;
  int pidfd_ = -1;                                // watched by Cluster::watch_exit
  std::shared_ptr<node::IoWatcher> pid_watcher_;
  bool channel_closed_ = false;
  bool exited_ = false;
};

class Cluster : public events::EventEmitter {
 public:
  // Reads NODE_UNIQUE_ID / NODE_CHANNEL_FD: a worker connects to its primary
  // and says 'online' at once.
  explicit Cluster(node::Loop& loop, Settings settings = {});
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  bool is_primary() const { return !is_worker_; }
  bool is_worker() const { return is_worker_; }
  node::Loop& loop() { return loop_; }
  Settings& settings() { return settings_; }
  SchedulingPolicy policy() const;

  // ---- primary (exercise 9) ----------------------------------------------------
  // Starts a worker process; 'fork' is emitted on the next tick.
  std::shared_ptr<Worker> fork(const std::map<std::string, std::string>& env = {});
  // cluster.workers: the live ones, by id (a worker leaves once dead and disconnected).
  const std::map<int, std::shared_ptr<Worker>>& workers() const { return workers_; }
  // cluster.disconnect(cb): disconnect every worker; cb when all are gone.
  void disconnect(std::function<void()> cb = {});
  // Bounded shutdown (what a primary does on SIGTERM): disconnect every
  // worker, and SIGKILL those still alive after grace_ms — hung, or behind a
  // stuck channel. cb once every worker has exited.
  void shutdown(double grace_ms, std::function<void()> cb = {});
  // Counters for what went wrong (dropped connections, timeouts, IPC errors).
  // In a worker only ipc_errors counts.
  ClusterStats stats() const;

  // ---- worker ------------------------------------------------------------------------
  // cluster.worker: this process's Worker.
  Worker& worker();

  // ---- both: server.listen(port, host, cb) -------------------------------------------
  // In a worker the primary is asked for the socket (exercise 10's policies);
  // in a primary it simply listens (a single-process server).
  void listen(HttpServer& server, int port, const std::string& host,
              std::function<void(net::Address)> on_listening = {});

  // Requests and connections served, reported by each worker as it exits
  // gracefully: {"<worker id>": requests}. (A killed worker cannot report.)
  const std::map<int, std::uint64_t>& served() const { return served_; }

 private:
  friend class Worker;
  // ---- exercise 9: primary.cpp (yours) ----------------------------------------------------
  void on_worker_message(const std::shared_ptr<Worker>& w, Json msg, int fd);
  void on_worker_channel_closed(const std::shared_ptr<Worker>& w);
  void on_worker_exit(const std::shared_ptr<Worker>& w);
  void maybe_remove(const std::shared_ptr<Worker>& w);
  // ---- exercise 9: worker_side.cpp (yours) ------------------------------------------------
  void setup_worker(int id, int channel_fd);
  void on_primary_message(Json msg, int fd);
  void on_primary_closed();
  void worker_disconnect();
  // ---- exercise 9: cluster_plumbing.cpp (given) ------------------------------------------
  // Opens the primary's end of a worker's channel: its messages go to
  // on_worker_message, its close to on_worker_channel_closed, its errors to
  // on_ipc_error.
  void connect_worker(const std::shared_ptr<Worker>& w, int channel_fd);
  // The one reaper: a pidfd in the poll phase; on_worker_exit when readable.
  void watch_exit(const std::shared_ptr<Worker>& w);
  // A worker's channel to its primary: on_primary_message, on_primary_closed, on_ipc_error.
  void connect_primary(int channel_fd);
  // An internal message {"cmd":"NODE_CLUSTER",...}. With on_reply it gets a
  // "seq", and the answer {"ack": seq, ...} goes to on_reply (settle_reply).
  // To a worker, with timeout_ms > 0, on_reply gets {"lost": true} when no
  // reply came in time, or at once (from a tick) when it could not be sent.
  void send_to_worker(Worker& w, Json msg, int fd = -1, std::function<void(const Json&)> on_reply = {},
                      double timeout_ms = 0);
  void send_to_primary(Json msg, std::function<void(const Json&)> on_reply = {});
  // Runs (and forgets) the on_reply waiting for `seq`; false when none waits
  // (a late answer, already settled as lost).
  bool settle_reply(std::uint64_t seq, const Json& reply);
  // Counts an 'error' of an IPC channel (the channel goes on); prints the first.
  void on_ipc_error(const std::string& who, const std::string& code, const std::string& message);
  // ---- exercise 10: scheduling.cpp (yours; primary side, then worker side) -------------
  void query_server(const std::shared_ptr<Worker>& w, const Json& msg);
  // dead: the worker died (its unanswered connections go to others);
  // otherwise it is closing its servers (its answers still count).
  void close_server(Worker& w, const std::string& key, bool dead);
  void remove_handles_for(Worker& w, bool dead);
  void worker_listen(HttpServer& server, int port, const std::string& host,
                     std::function<void(net::Address)> on_listening);
  void on_newconn(const Json& msg, int fd);
  // The primary's listening handles, by "host:port:policy".
  struct RrHandle {
    int fd = -1;
    int spare_fd = -1;  // libuv's reserve fd: closed to make room when accept() hits EMFILE
    std::shared_ptr<node::IoWatcher> watcher;
    node::Timeout accept_retry;  // set while accepting is paused after EMFILE/ENFILE
    std::unique_ptr<RoundRobinHandle> rr;
    net::Address address;
  };
  struct SharedHandle {
    int fd = -1;  // none: the listening socket; reuseport: a bound socket reserving the port
    std::vector<int> workers;
    net::Address address;
  };
  // ---- exercise 10: accepting.cpp (given) ---------------------------------------------
  void close_rr_handle(const std::string& key);
  void rr_accept(const std::string& key);  // the listening socket is readable

  node::Loop& loop_;
  Settings settings_;
  bool is_worker_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  // primary
  int next_id_ = 1;
  std::map<int, std::shared_ptr<Worker>> workers_;
  std::map<int, std::shared_ptr<Worker>> all_;  // until removed: also the dead-but-connected ones
  std::map<std::string, RrHandle> rr_handles_;
  std::map<std::string, SharedHandle> shared_handles_;
  std::map<int, std::uint64_t> served_;
  std::uint64_t next_seq_ = 1;
  std::map<std::uint64_t, std::function<void(const Json&)>> pending_replies_;
  std::map<std::uint64_t, node::Timeout> reply_timers_;  // replies with a deadline
  ClusterStats stats_;
  // worker
  std::shared_ptr<Worker> self_;
  std::unique_ptr<Channel> channel_;
  std::map<std::string, HttpServer*> servers_;  // by key, for rr's newconn
  std::vector<HttpServer*> all_servers_;
};

}  // namespace kata::cluster
