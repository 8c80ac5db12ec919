// The cluster's plumbing (given): starting a worker process, its channel
// and its pidfd, the request/reply bookkeeping of internal messages, and
// the policy from the environment. Your part — what the messages mean and
// in which order the events come — is primary.cpp and worker_side.cpp.
#include "cluster_plumbing.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace kata::cluster {

// ---- free helpers (cluster_plumbing.hpp) --------------------------------------------

Launched launch_worker(const Settings& settings, const std::map<std::string, std::string>& env, int id) {
  // Everything the child needs is built before fork(): after it, only
  // async-signal-safe calls until execve.
  std::vector<std::string> args{settings.exec};
  args.insert(args.end(), settings.args.begin(), settings.args.end());
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string::npos) vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : settings.env) vars[k] = v;
  for (auto& [k, v] : env) vars[k] = v;
  vars["NODE_UNIQUE_ID"] = std::to_string(id);
  vars["NODE_CHANNEL_FD"] = "3";
  std::vector<std::string> env_strings;
  for (auto& [k, v] : vars) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    throw std::system_error(errno, std::generic_category(), "socketpair");
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    ::close(sv[0]);
    ::close(sv[1]);
    throw std::system_error(e, std::generic_category(), "fork");
  }
  if (pid == 0) {
    // The channel becomes fd 3; every other inherited fd is closed (pipes
    // others created without CLOEXEC must not leak into workers).
    if (sv[1] == 3) {
      ::fcntl(3, F_SETFD, 0);
    } else {
      ::dup2(sv[1], 3);
    }
    ::syscall(SYS_close_range, 4u, ~0u, 0u);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(sv[1]);
  return Launched{pid, sv[0]};
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "SIG" + std::to_string(sig);
}

bool is_internal(const Json& msg) { return msg.is_object() && msg.value("cmd", "") == "NODE_CLUSTER"; }

// ---- the policy (cluster.hpp) ---------------------------------------------------------

SchedulingPolicy policy_from_env() {
  const char* v = std::getenv("NODE_CLUSTER_SCHED_POLICY");
  const std::string s = v ? v : "";
  if (s == "none") return SchedulingPolicy::none;
  if (s == "reuseport") return SchedulingPolicy::reuseport;
  return SchedulingPolicy::rr;
}

std::string to_string(SchedulingPolicy policy) {
  switch (policy) {
    case SchedulingPolicy::none: return "none";
    case SchedulingPolicy::rr: return "rr";
    case SchedulingPolicy::reuseport: return "reuseport";
  }
  return "?";
}

// Settings::policy when set, else NODE_CLUSTER_SCHED_POLICY.
SchedulingPolicy Cluster::policy() const { return settings_.policy.value_or(policy_from_env()); }

// ---- construction: primary or worker ----------------------------------------------------

// A process started by fork() finds NODE_UNIQUE_ID and NODE_CHANNEL_FD: it is
// a worker. Both are removed (a worker's own children are not workers of our
// primary) before setup_worker (yours) runs.
Cluster::Cluster(node::Loop& loop, Settings settings) : loop_(loop), settings_(std::move(settings)) {
  const char* id = std::getenv("NODE_UNIQUE_ID");
  const char* fd = std::getenv("NODE_CHANNEL_FD");
  if (id == nullptr || fd == nullptr) return;  // the primary
  const int worker_id = std::atoi(id);
  const int channel_fd = std::atoi(fd);
  ::unsetenv("NODE_UNIQUE_ID");
  ::unsetenv("NODE_CHANNEL_FD");
  setup_worker(worker_id, channel_fd);
}

// Nothing the loop still holds may call back into a dead cluster (alive_),
// and every fd the primary holds is closed.
Cluster::~Cluster() {
  *alive_ = false;
  for (auto& [id, w] : all_) {
    if (w->pid_watcher_ && !w->pid_watcher_->is_closing()) w->pid_watcher_->close();
    if (w->pidfd_ >= 0) ::close(w->pidfd_);
    w->pidfd_ = -1;
    w->channel_.reset();
  }
  for (auto& [key, h] : rr_handles_) {
    if (h.watcher && !h.watcher->is_closing()) h.watcher->close();
    if (h.fd >= 0) ::close(h.fd);
    if (h.spare_fd >= 0) ::close(h.spare_fd);
    loop_.clear_timeout(h.accept_retry);
  }
  for (auto& [seq, t] : reply_timers_) loop_.clear_timeout(t);
  for (auto& [key, h] : shared_handles_)
    if (h.fd >= 0) ::close(h.fd);
}

// cluster.worker: only a worker has one.
Worker& Cluster::worker() {
  if (!is_worker_) throw std::logic_error("cluster.worker exists only in a worker");
  return *self_;
}

// ---- the channels ---------------------------------------------------------------------

// The callbacks hold the worker weakly and check alive_: the loop may call
// them after the worker, or the whole cluster, is gone.
void Cluster::connect_worker(const std::shared_ptr<Worker>& w, int channel_fd) {
  std::weak_ptr<Worker> weak = w;
  auto alive = alive_;
  w->channel_ = std::make_unique<Channel>(loop_, channel_fd);
  w->channel_->on_message([this, alive, weak](Json msg, int fd) {
    auto sw = weak.lock();
    if (!*alive || !sw) {
      if (fd >= 0) ::close(fd);
      return;
    }
    on_worker_message(sw, std::move(msg), fd);
  });
  w->channel_->on_close([this, alive, weak] {
    if (auto sw = weak.lock(); *alive && sw) on_worker_channel_closed(sw);
  });
  w->channel_->on_error([this, alive, id = w->id_](const std::string& code, const std::string& message) {
    if (*alive) on_ipc_error("channel to worker " + std::to_string(id), code, message);
  });
}

// The worker's end: the primary's messages go to on_primary_message, the
// channel's close to on_primary_closed (yours, worker_side.cpp).
void Cluster::connect_primary(int channel_fd) {
  auto alive = alive_;
  channel_ = std::make_unique<Channel>(loop_, channel_fd);
  channel_->on_message([this, alive](Json msg, int fd) {
    if (*alive) {
      on_primary_message(std::move(msg), fd);
    } else if (fd >= 0) {
      ::close(fd);
    }
  });
  channel_->on_error([this, alive](const std::string& code, const std::string& message) {
    if (*alive) on_ipc_error("worker " + std::to_string(self_->id_) + "'s channel", code, message);
  });
  channel_->on_close([this, alive] {
    if (*alive) on_primary_closed();
  });
}

// worker.isConnected(): the channel is open (in a worker: the one to the primary).
bool Worker::is_connected() const {
  if (cluster_.is_worker()) return cluster_.channel_ && cluster_.channel_->connected();
  return channel_ && !channel_closed_ && channel_->connected();
}

// ---- the reaper -----------------------------------------------------------------------

// A pidfd (Linux >= 5.3) becomes readable once the process has exited, so
// the poll phase wakes the primary: no SIGCHLD handler, no polling. Once
// on_worker_exit has reaped the worker (exited_), the pidfd is closed.
void Cluster::watch_exit(const std::shared_ptr<Worker>& w) {
  w->pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, w->pid_, 0));
  if (w->pidfd_ < 0) throw std::system_error(errno, std::generic_category(), "pidfd_open");
  w->pid_watcher_ = loop_.watch_fd(w->pidfd_);
  std::weak_ptr<Worker> weak = w;
  auto alive = alive_;
  w->pid_watcher_->start(node::kReadable, [this, alive, weak](int) {
    auto sw = weak.lock();
    if (!*alive || !sw) return;
    on_worker_exit(sw);
    if (sw->exited_ && sw->pidfd_ >= 0) {  // reaped: nothing more to hear from this pidfd
      sw->pid_watcher_->close([fd = sw->pidfd_] { ::close(fd); });
      sw->pidfd_ = -1;
    }
  });
}

// ---- internal messages and their replies -------------------------------------------------

// An internal message to a worker, and the bookkeeping of its reply:
// pending_replies_ by seq, and with a timeout a timer that settles it as lost.
void Cluster::send_to_worker(Worker& w, Json msg, int fd, std::function<void(const Json&)> on_reply,
                             double timeout_ms) {
  msg["cmd"] = "NODE_CLUSTER";
  std::uint64_t seq = 0;
  if (on_reply) {
    seq = next_seq_++;
    msg["seq"] = seq;
    pending_replies_[seq] = std::move(on_reply);
  }
  bool sent = false;
  try {
    sent = w.channel_ && w.channel_->send(msg, fd);
  } catch (const std::invalid_argument&) {
    // Sending a handle duplicates it first: that fails when the primary
    // itself is out of fds. The message is not sent.
  }
  if (seq == 0 || timeout_ms <= 0) return;
  auto alive = alive_;
  if (!sent) {  // no answer can come: say so from a tick (the caller may be mid-update)
    loop_.next_tick([this, alive, seq] {
      if (*alive) settle_reply(seq, Json{{"lost", true}});
    });
    return;
  }
  const node::Timeout t = loop_.set_timeout(
      [this, alive, seq] {
        if (!*alive) return;
        reply_timers_.erase(seq);
        ++stats_.reply_timeouts;
        settle_reply(seq, Json{{"lost", true}});
      },
      timeout_ms);
  loop_.unref(t);  // an answer we wait for does not keep the primary alive by itself
  reply_timers_[seq] = t;
}

// An internal message to the primary (no timeout: a worker whose primary is
// gone exits, see on_primary_closed).
void Cluster::send_to_primary(Json msg, std::function<void(const Json&)> on_reply) {
  msg["cmd"] = "NODE_CLUSTER";
  if (on_reply) {
    const std::uint64_t seq = next_seq_++;
    msg["seq"] = seq;
    pending_replies_[seq] = std::move(on_reply);
  }
  if (channel_) channel_->send(msg);
}

// Both sides: the answer {"ack": seq, ...} to a message sent with on_reply.
bool Cluster::settle_reply(std::uint64_t seq, const Json& reply) {
  if (auto t = reply_timers_.find(seq); t != reply_timers_.end()) {
    loop_.clear_timeout(t->second);
    reply_timers_.erase(t);
  }
  auto it = pending_replies_.find(seq);
  if (it == pending_replies_.end()) return false;  // a late answer: it was settled as lost already
  auto cb = std::move(it->second);
  pending_replies_.erase(it);
  cb(reply);
  return true;
}

// ---- what went wrong, and a bounded shutdown --------------------------------------------

// What the primary gave up on, the live rr handles' drops included.
ClusterStats Cluster::stats() const {
  ClusterStats s = stats_;
  for (auto& [key, h] : rr_handles_) s.dropped_connections += h.rr->dropped();
  return s;
}

void Cluster::on_ipc_error(const std::string& who, const std::string& code, const std::string& message) {
  // The channel goes on after an error; what is lost with it (a handle, a
  // frame) is answered elsewhere (a refused newconn, a reply timeout).
  // Count every one; print the first, so that a flood does not flood stderr.
  if (stats_.ipc_errors++ == 0)
    std::fprintf(stderr, "cluster: %s: IPC channel error %s: %s (later ones are only counted)\n", who.c_str(),
                 code.c_str(), message.c_str());
}

// cluster.disconnect(cb): Worker::disconnect (yours) on every live worker;
// cb once the last of them has exited (on the next tick when there is none).
void Cluster::disconnect(std::function<void()> cb) {
  std::vector<std::shared_ptr<Worker>> live;
  for (auto& [id, w] : workers_) live.push_back(w);
  if (live.empty()) {
    if (cb) loop_.next_tick(cb);
    return;
  }
  if (cb) {
    auto left = std::make_shared<std::size_t>(live.size());
    for (auto& w : live)
      w->once("exit", [left, cb](const events::Args&) {
        if (--*left == 0) cb();
      });
  }
  for (auto& w : live) w->disconnect();
}

// What a primary does on SIGTERM: disconnect every worker, SIGKILL the ones
// still alive after grace_ms.
void Cluster::shutdown(double grace_ms, std::function<void()> cb) {
  auto alive = alive_;
  auto kill_timer = std::make_shared<node::Timeout>();
  disconnect([this, alive, kill_timer, cb] {
    if (*alive) loop_.clear_timeout(*kill_timer);
    if (cb) cb();
  });
  if (workers_.empty()) return;
  // A hung worker never finishes; one behind a stuck channel never even
  // hears 'disconnect'. Graceful only for so long, then SIGKILL; the pidfd
  // reaper sees them go, and 'exit' fires as for any other death.
  *kill_timer = loop_.set_timeout(
      [this, alive] {
        if (!*alive) return;
        for (auto& [id, w] : workers_)
          if (!w->is_dead()) w->kill(SIGKILL);
      },
      grace_ms);
}

}  // namespace kata::cluster
