// Given: the POSIX and Boost.Process plumbing under launch() (launcher.cpp).
// How a child's fds, signals and environment are put in order between fork
// and exec is not what Node teaches. Which program runs (the PATH search),
// with which stdio, and how a failure is told is — that stays in
// launcher.cpp, which calls these.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "launcher.hpp"

namespace kata::child_process {

// Our own environment (environ) as NAME=value strings: what a child gets
// when the caller passes no env (Node: a copy of process.env).
std::vector<std::string> current_env();

// An env option (Node's options.env object) as NAME=value strings.
std::vector<std::string> env_strings(const std::map<std::string, std::string>& env);

// fork()'s announcement (exercise 5): when ipc_fd >= 0, sets
// NODE_CHANNEL_FD=<ipc_fd> (replacing one inherited from our own parent) and
// NODE_CHANNEL_SERIALIZATION_MODE=json in `env`, the child's environment.
void add_ipc_env(std::vector<std::string>& env, int ipc_fd);

// What the child must look like at exec.
struct ChildSetup {
  int stdio[3] = {-1, -1, -1};  // the fd to dup2 onto 0, 1, 2; -1 = leave ours (inherit)
  const char* cwd = nullptr;    // chdir there first; nullptr = our cwd
  int ipc_fd = -1;              // stays open across exec (fork's channel); -1 = none
};

// Starts the program at `exe` (a path: bp::exe does NOT search PATH) with
// argv = exe, args... and exactly the environment `env` (NAME=value), set
// up as `setup` says, and returns its pid. Boost.Process v1 underneath, with
// its traps handled (launch_support.cpp tells how): vfork, the child
// detached at once (so ~child() never kills it and Boost never waits for
// it: whoever watches the pidfd is the only reaper), every signal blocked
// around the vfork, and in the child, before exec: stdio dup2'd into place,
// chdir, every other fd but ipc_fd close-on-exec, every signal disposition
// back to default, an empty signal mask. Throws std::system_error with the
// errno when the child could not start (exec failed: ENOENT, EACCES ...; a
// missing cwd: ENOENT); that child is reaped, nothing is left behind.
pid_t start_process(const std::string& exe, const std::vector<std::string>& args,
                    const std::vector<std::string>& env, const ChildSetup& setup);

// Closes the fds it holds when it goes out of scope: launch()'s error paths
// leave no fd behind. release() hands one over to the caller instead.
class FdGuard {
 public:
  FdGuard() = default;
  ~FdGuard();
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int hold(int fd);  // returns fd (a negative fd is not held)
  void release(int fd);

 private:
  std::vector<int> fds_;
};

// pidfd_open(pid): a close-on-exec fd that becomes readable when the child
// has exited — what the loop's poll phase watches instead of SIGCHLD. If it
// can't be opened, kills and reaps the child and throws std::system_error,
// so no zombie is left.
int open_pidfd(pid_t pid);

// A waitpid() status as an ExitStatus: the code when the child exited, the
// signal number when a signal killed it (Boost's exit_code() would say
// "exit 9" for SIGKILL; Node says signal SIGKILL).
ExitStatus exit_status(int wait_status);

}  // namespace kata::child_process
