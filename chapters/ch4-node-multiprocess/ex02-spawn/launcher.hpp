// launch(): start a program and hand back raw fds: the pieces the event loop
// watches. Everything about *how* a child is created lives behind this one
// function: launch() is yours (launcher.cpp: which program, which stdio,
// which failure); the fork/exec plumbing under it is given
// (launch_support.hpp, whose .cpp is the only file that includes
// Boost.Process).
//
// Ownership rule (Boost.Process v1): the boost::process::child is detached
// right away, so its destructor never kills the child, and Boost never waits
// for it. Exactly one reaper exists: whoever holds Launched::pidfd (the loop
// watches it and calls reap()).
#pragma once

#include <sys/types.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace kata::child_process {

// What each of the child's fds 0, 1, 2 is (Node's stdio option).
enum class Stdio { pipe, inherit, ignore };

struct LaunchRequest {
  std::string file;               // searched in PATH when it contains no '/'
  std::vector<std::string> args;  // argv[1..], passed byte for byte (no shell)
  std::optional<std::string> cwd;
  // The child's whole environment as NAME=value strings; nullopt = ours.
  std::optional<std::vector<std::string>> env;
  std::array<Stdio, 3> stdio{Stdio::pipe, Stdio::pipe, Stdio::pipe};
  // The child's end of an IPC socketpair (fork); -1 for none. It stays open
  // in the child under the same number, announced as NODE_CHANNEL_FD.
  int ipc_fd = -1;
};

struct Launched {
  pid_t pid = -1;
  int pidfd = -1;  // readable once the child has exited (then reap() it)
  // The parent's ends of the piped stdio (-1 when not piped): non-blocking,
  // close-on-exec, owned by the caller. The child's ends are already closed.
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
};

// Starts the child. A `file` without '/' is searched in the PATH of the
// child's environment (`env`, else ours), as Node does. In the child, before
// exec: stdio in place, every other fd (but the IPC one) close-on-exec, all
// signal dispositions back to default (the test main ignores SIGPIPE;
// ignored signals survive exec) and an empty signal mask. Throws std::system_error with the errno (ENOENT,
// EACCES, ENOTDIR ...) when the program can't be started; nothing is left
// behind then: no fd, no zombie.
Launched launch(const LaunchRequest& request);

struct ExitStatus {
  std::optional<int> code;  // exit code when it exited
  int signal = 0;           // signal number when a signal killed it
};

// Given (launch_support.cpp): waitpid() and its status decoded.
// Non-blocking reap (waitpid WNOHANG): nullopt while the child still runs.
std::optional<ExitStatus> reap(pid_t pid);

// Blocking reap, for exec_sync and for cleaning up after errors.
ExitStatus reap_blocking(pid_t pid);

}  // namespace kata::child_process
