#include "launcher.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "boost_process_v1.hpp"

extern char** environ;

namespace kata::child_process {
namespace {

[[noreturn]] void throw_errno(int err, const char* what) {
  throw std::system_error(err, std::generic_category(), what);
}

// Closes the fds it holds unless released: the error paths leak nothing.
struct FdGuard {
  std::vector<int> fds;
  ~FdGuard() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
};

// execvp's PATH search, done in the parent (no allocation after fork), with
// the PATH the *child* will have.
std::string resolve(const std::string& file, const std::vector<std::string>& env) {
  if (file.find('/') != std::string::npos) return file;
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& kv : env)
    if (kv.rfind("PATH=", 0) == 0) path = kv.substr(5);
  int err = ENOENT;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + file;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (errno == EACCES) err = EACCES;
    start = end + 1;
  }
  throw_errno(err, "spawn");
}

std::vector<std::string> current_env() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) out.emplace_back(*e);
  return out;
}

}  // namespace

Launched launch(const LaunchRequest& req) {
  std::vector<std::string> env = req.env ? *req.env : current_env();
  if (req.ipc_fd >= 0) {
    std::erase_if(env, [](const std::string& kv) { return kv.rfind("NODE_CHANNEL_FD=", 0) == 0; });
    env.push_back("NODE_CHANNEL_FD=" + std::to_string(req.ipc_fd));
    env.push_back("NODE_CHANNEL_SERIALIZATION_MODE=json");
  }
  const std::string exe = resolve(req.file, env);

  // Pipes with O_CLOEXEC from birth (Boost's own pipes lack it, so a pipe
  // meant for one child would leak into the next and hide EOF).
  FdGuard guard;
  int child_end[3] = {-1, -1, -1};
  Launched out;
  int* parent_end[3] = {&out.stdin_fd, &out.stdout_fd, &out.stderr_fd};
  for (int i = 0; i < 3; ++i) {
    if (req.stdio[i] == Stdio::pipe) {
      int p[2];
      if (::pipe2(p, O_CLOEXEC) != 0) throw_errno(errno, "pipe2");
      const int mine = i == 0 ? p[1] : p[0];
      const int theirs = i == 0 ? p[0] : p[1];
      guard.fds.push_back(mine);
      guard.fds.push_back(theirs);
      // Non-blocking on OUR end only: a non-blocking stdout in the child
      // makes its writes fail with EAGAIN.
      ::fcntl(mine, F_SETFL, ::fcntl(mine, F_GETFL) | O_NONBLOCK);
      *parent_end[i] = mine;
      child_end[i] = theirs;
    } else if (req.stdio[i] == Stdio::ignore) {
      const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
      if (null < 0) throw_errno(errno, "open /dev/null");
      guard.fds.push_back(null);
      child_end[i] = null;
    }
  }

  // The child's environment as execve wants it: "K=V" strings, the last of
  // a repeated name winning, then nullptr. Not bp::environment: Boost 1.74's
  // lookup compares a name with each entry past the entry's end (a heap
  // read out of bounds that AddressSanitizer reports on every spawn).
  std::vector<std::string> env_strings;
  for (const auto& kv : env) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    auto same_name = [&](const std::string& e) { return e.compare(0, eq + 1, kv, 0, eq + 1) == 0; };
    std::erase_if(env_strings, same_name);
    env_strings.push_back(kv);
  }
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  // Set on Boost's executor before it forks: execve uses it.
  auto set_env = [&envp](auto& exec) { exec.env = envp.data(); };
  const char* cwd = req.cwd ? req.cwd->c_str() : nullptr;
  const int ipc_fd = req.ipc_fd;

  // Runs in the child between vfork and exec, in our memory: async-signal-
  // safe calls only, no allocation, no writes to anything but the child's
  // own kernel state (fds, signal dispositions and mask, cwd).
  auto in_child = [&](auto& exec) {
    for (int i = 0; i < 3; ++i)
      if (child_end[i] >= 0 && ::dup2(child_end[i], i) < 0) {
        exec.set_error(std::error_code(errno, std::system_category()), "dup2");
        ::_exit(127);
      }
    if (cwd != nullptr && ::chdir(cwd) != 0) {
      // Boost's start_dir ignores a failed chdir; Node reports it (ENOENT).
      exec.set_error(std::error_code(errno, std::system_category()), "chdir");
      ::_exit(127);
    }
    // Nothing we did not mean to give survives exec (fds from other
    // threads, other children's pipes); the IPC end is the one exception.
    ::syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC */);
    if (ipc_fd >= 0) ::fcntl(ipc_fd, F_SETFD, 0);
    // Ignored signals and the mask are inherited across exec: start clean.
    struct sigaction dfl;
    std::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; ++s)
      if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
  };
  pid_t failed_pid = -1;
  auto on_error = [&](auto& exec, const std::error_code&) { failed_pid = exec.pid; };

  // Signals blocked around the launch: under vfork the child shares our
  // memory until exec, and one of our handlers running in it would corrupt
  // it. The child clears the mask itself (in_child) once dispositions are
  // back to default. The parent restores its own mask right after.
  sigset_t all, previous;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  // With an error_code argument Boost reports instead of throwing, and calls
  // on_error with the pid of a child whose exec failed.
  std::error_code ec;
#if KATA_SPAWN_USE_VFORK
  bp::child c(bp::exe = exe, bp::args = req.args, bp::extend::on_setup = set_env, bp::extend::on_exec_setup = in_child,
              bp::extend::on_error = on_error, bp::error = ec, bp::posix::use_vfork);
#else
  bp::child c(bp::exe = exe, bp::args = req.args, bp::extend::on_setup = set_env, bp::extend::on_exec_setup = in_child,
              bp::extend::on_error = on_error, bp::error = ec);
#endif
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (ec) {
    // exec failed in the child, which then _exit()ed. Boost's vfork path
    // may already have reaped it (its temporary child object does on
    // destruction); else it is a zombie: reap it (ECHILD is harmless here).
    if (failed_pid > 0) reap_blocking(failed_pid);
    throw_errno(ec.value(), "spawn");
  }
  c.detach();  // ~child() must never kill it; the loop owns its lifetime
  out.pid = c.id();

  // Release the parent's ends to the caller, close the child's ends.
  for (int i = 0; i < 3; ++i) std::erase(guard.fds, *parent_end[i]);
  out.pidfd = int(::syscall(SYS_pidfd_open, out.pid, 0));  // CLOEXEC by default
  if (out.pidfd < 0) {
    const int err = errno;
    ::kill(out.pid, SIGKILL);
    reap_blocking(out.pid);
    for (int* fd : parent_end)
      if (*fd >= 0) ::close(*fd);
    throw_errno(err, "pidfd_open");
  }
  return out;
}

namespace {
ExitStatus decode(int status) {
  ExitStatus s;
  if (WIFEXITED(status)) s.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) s.signal = WTERMSIG(status);  // not "exit(9)" as Boost says
  return s;
}
}  // namespace

std::optional<ExitStatus> reap(pid_t pid) {
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return std::nullopt;
  if (r < 0) return ExitStatus{std::nullopt, 0};  // ECHILD: someone else reaped it (a bug)
  return decode(status);
}

ExitStatus reap_blocking(pid_t pid) {
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return ExitStatus{};
  return decode(status);
}

}  // namespace kata::child_process
