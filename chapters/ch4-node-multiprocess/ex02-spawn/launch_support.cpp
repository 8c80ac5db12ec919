// Given: see launch_support.hpp. The one file that includes Boost.Process
// (its headers cost ~8 s per translation unit).
#include "launch_support.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "boost_process_v1.hpp"

extern char** environ;

namespace kata::child_process {
namespace {

// The environment as execve() wants it: NAME=value char* array ending in
// nullptr, a repeated name keeping its last value, entries without a name
// dropped. Built before the fork (the child must not allocate) and set as
// Boost's exec.env in an extend::on_setup handler. Not bp::env: Boost
// 1.74's lookup reads past the end of short entries (AddressSanitizer
// reports it on every spawn).
class Envp {
 public:
  explicit Envp(const std::vector<std::string>& env) {
    for (const auto& kv : env) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) continue;
      auto same_name = [&](const std::string& e) { return e.compare(0, eq + 1, kv, 0, eq + 1) == 0; };
      std::erase_if(strings_, same_name);
      strings_.push_back(kv);
    }
    for (auto& e : strings_) pointers_.push_back(e.data());
    pointers_.push_back(nullptr);
  }
  char** data() { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

// Runs IN THE CHILD between vfork and exec (Boost's extend::on_exec_setup).
// The child still shares our memory there: async-signal-safe calls only, no
// allocation, no writes to anything but the child's own kernel state.
// Returns 0, or the errno of the step that failed with *step naming it.
int prepare_child(const ChildSetup& setup, const char** step) {
  for (int i = 0; i < 3; ++i)
    if (setup.stdio[i] >= 0 && ::dup2(setup.stdio[i], i) < 0) {
      *step = "dup2";
      return errno;
    }
  // Boost's own start_dir ignores a failed chdir; Node reports it (ENOENT).
  if (setup.cwd != nullptr && ::chdir(setup.cwd) != 0) {
    *step = "chdir";
    return errno;
  }
  // Nothing we did not mean to give survives exec (fds another thread
  // opened, other children's pipes); the IPC end is the one exception.
  ::syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */);
  if (setup.ipc_fd >= 0) ::fcntl(setup.ipc_fd, F_SETFD, 0);
  // Ignored signals and the mask survive exec (the test main ignores
  // SIGPIPE): start clean.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s)
    if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  return 0;
}

// Blocks every signal in this thread while it lives. Around the vfork: until
// exec the child runs in our memory, and a handler of ours running in it
// would corrupt it. The child empties its own mask (prepare_child) once its
// dispositions are back to default.
class AllSignalsBlocked {
 public:
  AllSignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous_);
  }
  ~AllSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  AllSignalsBlocked(const AllSignalsBlocked&) = delete;
  AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

 private:
  sigset_t previous_;
};

}  // namespace

std::vector<std::string> current_env() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) out.emplace_back(*e);
  return out;
}

std::vector<std::string> env_strings(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

void add_ipc_env(std::vector<std::string>& env, int ipc_fd) {
  if (ipc_fd < 0) return;
  std::erase_if(env, [](const std::string& kv) { return kv.rfind("NODE_CHANNEL_FD=", 0) == 0; });
  env.push_back("NODE_CHANNEL_FD=" + std::to_string(ipc_fd));
  env.push_back("NODE_CHANNEL_SERIALIZATION_MODE=json");
}

pid_t start_process(const std::string& exe, const std::vector<std::string>& args,
                    const std::vector<std::string>& env, const ChildSetup& setup) {
  Envp envp(env);
  auto set_env = [&envp](auto& exec) { exec.env = envp.data(); };
  auto in_child = [&setup](auto& exec) {
    const char* step = "exec";
    if (const int err = prepare_child(setup, &step)) {
      exec.set_error(std::error_code(err, std::system_category()), step);
      ::_exit(127);
    }
  };
  // With an error_code argument Boost reports a failed exec instead of
  // throwing from a place where the pid is lost, and calls on_error with the
  // pid of that child, which has _exit()ed and waits to be reaped.
  pid_t failed_pid = -1;
  auto on_error = [&failed_pid](auto& exec, const std::error_code&) { failed_pid = exec.pid; };
  std::error_code ec;
  pid_t pid = -1;
  {
    AllSignalsBlocked blocked;
#if KATA_SPAWN_USE_VFORK
    bp::child c(bp::exe = exe, bp::args = args, bp::extend::on_setup = set_env,
                bp::extend::on_exec_setup = in_child, bp::extend::on_error = on_error, bp::error = ec,
                bp::posix::use_vfork);
#else
    bp::child c(bp::exe = exe, bp::args = args, bp::extend::on_setup = set_env,
                bp::extend::on_exec_setup = in_child, bp::extend::on_error = on_error, bp::error = ec);
#endif
    if (!ec) {
      c.detach();  // ~child() must never kill it; the loop owns its lifetime
      pid = c.id();
    }
  }
  if (ec) {
    // Boost's vfork path may have reaped it already (its temporary child
    // object does on destruction): then waitpid says ECHILD, harmless.
    if (failed_pid > 0) reap_blocking(failed_pid);
    throw std::system_error(ec.value(), std::generic_category(), "spawn");
  }
  return pid;
}

FdGuard::~FdGuard() {
  for (int fd : fds_) ::close(fd);
}

int FdGuard::hold(int fd) {
  if (fd >= 0) fds_.push_back(fd);
  return fd;
}

void FdGuard::release(int fd) { std::erase(fds_, fd); }

int open_pidfd(pid_t pid) {
  const int pidfd = int(::syscall(SYS_pidfd_open, pid, 0));  // close-on-exec by default
  if (pidfd < 0) {
    const int err = errno;
    ::kill(pid, SIGKILL);
    reap_blocking(pid);
    throw std::system_error(err, std::generic_category(), "pidfd_open");
  }
  return pidfd;
}

ExitStatus exit_status(int wait_status) {
  ExitStatus s;
  if (WIFEXITED(wait_status)) s.code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) s.signal = WTERMSIG(wait_status);
  return s;
}

std::optional<ExitStatus> reap(pid_t pid) {
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return std::nullopt;                // still running
  if (r < 0) return ExitStatus{std::nullopt, 0};  // ECHILD: someone else reaped it (a bug)
  return exit_status(status);
}

ExitStatus reap_blocking(pid_t pid) {
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return ExitStatus{};  // ECHILD: already reaped
  return exit_status(status);
}

}  // namespace kata::child_process
