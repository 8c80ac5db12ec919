// The primary's side of cluster (lib/internal/cluster/primary.js):
// fork a worker, follow its life through IPC messages and its exit, and emit
// the events in Node's order.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "cluster.hpp"

#include "kata/todo.hpp"

extern char** environ;

namespace kata::cluster {
namespace {

struct Launched {
  pid_t pid;
  int channel_fd;
};

[[maybe_unused]] bool is_internal(const Json& msg) { return msg.is_object() && msg.value("cmd", "") == "NODE_CLUSTER"; }

[[maybe_unused]] std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "SIG" + std::to_string(sig);
}

// Plumbing: fork + exec `settings.exec` with NODE_UNIQUE_ID=<id> and the IPC
// channel as fd 3 (NODE_CHANNEL_FD=3). Returns the pid and our end of the channel.
[[maybe_unused]] Launched launch_worker(const Settings& settings, const std::map<std::string, std::string>& env, int id) {
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
    // The channel becomes fd 3; every other inherited fd is closed (Boost/pipes
    // created without CLOEXEC by others must not leak into workers).
    if (sv[1] == 3) ::fcntl(3, F_SETFD, 0);
    else ::dup2(sv[1], 3);
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

}  // namespace

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

Cluster::Cluster(node::Loop& loop, Settings settings) : loop_(loop), settings_(std::move(settings)) {
  const char* id = std::getenv("NODE_UNIQUE_ID");
  const char* fd = std::getenv("NODE_CHANNEL_FD");
  if (id != nullptr && fd != nullptr) setup_worker(std::atoi(id), std::atoi(fd));
}

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

SchedulingPolicy Cluster::policy() const { return settings_.policy.value_or(policy_from_env()); }

std::shared_ptr<Worker> Cluster::fork(const std::map<std::string, std::string>& env) {
  (void)env;
  KATA_TODO("make the Worker (next_id_++), launch_worker(), record it in workers_ and all_, wrap its channel fd in a Channel (messages → on_worker_message, close → on_worker_channel_closed, errors → on_ipc_error), watch a pidfd (exit → on_worker_exit), let the cluster hear its messages first, emit fork on the next tick (hints 1-3)");
}

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

void Cluster::settle_reply(std::uint64_t seq, const Json& reply) {
  if (auto t = reply_timers_.find(seq); t != reply_timers_.end()) {
    loop_.clear_timeout(t->second);
    reply_timers_.erase(t);
  }
  auto it = pending_replies_.find(seq);
  if (it == pending_replies_.end()) return;  // a late answer: it was settled as lost already
  auto cb = std::move(it->second);
  pending_replies_.erase(it);
  cb(reply);
}

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

void Cluster::on_worker_message(const std::shared_ptr<Worker>& w, Json msg, int fd) {
  (void)w, (void)msg, (void)fd;
  KATA_TODO("user messages → worker message; acks → settle_reply(seq, msg); online / listening / queryServer / close / exitedAfterDisconnect / served — worker first, then cluster (hint 4)");
}

void Cluster::on_worker_channel_closed(const std::shared_ptr<Worker>& w) {
  (void)w;
  KATA_TODO("once: remove_handles_for(w, dead=true), state disconnected, worker then cluster disconnect, maybe_remove (hint 5)");
}

void Cluster::on_worker_exit(const std::shared_ptr<Worker>& w) {
  (void)w;
  KATA_TODO("waitpid(WNOHANG); decode code / signal name; close the pidfd watcher; disconnect must come before exit; state dead; emit exit (worker, then cluster); then drop the worker's listeners (one may hold the worker: a cycle); maybe_remove (hint 5)");
}

void Cluster::maybe_remove(const std::shared_ptr<Worker>& w) {
  (void)w;
  KATA_TODO("dead AND disconnected → leaves workers_ (and all_, keeping it alive until the close phase is over) (hint 6)");
}

void Cluster::disconnect(std::function<void()> cb) {
  (void)cb;
  KATA_TODO("disconnect every live worker; cb once all of them have exited (hint 7)");
}

bool Worker::is_connected() const {
  if (cluster_.is_worker()) return cluster_.channel_ && cluster_.channel_->connected();
  return channel_ && !channel_closed_ && channel_->connected();
}

bool Worker::send(const Json& msg) {
  (void)msg;
  KATA_TODO("a user message over the channel (in a worker: to the primary); false when not connected");
}

void Worker::disconnect() {
  KATA_TODO("primary: exited_after_disconnect = true, send {act:disconnect}, remove_handles_for(*this, false); worker: cluster_.worker_disconnect() (hint 7)");
}

void Worker::kill(int signal) {
  (void)signal;
  KATA_TODO("primary: send the signal to the worker process (exited_after_disconnect stays false)");
}

}  // namespace kata::cluster
