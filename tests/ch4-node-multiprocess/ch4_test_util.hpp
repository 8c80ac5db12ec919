// What chapter 4's tests share: where the helper programs are, a real-time
// loop with the watchdog told what it waits for, and a raw posix_spawn for
// tests that must not depend on the learner's spawn().
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <any>
#include <optional>
#include <string>
#include <vector>

#include "kata/testing.hpp"
#include "node_runtime.hpp"

extern char** environ;

namespace ch4 {

inline const std::string kHelper = KATA_CH4_HELPER;       // helpers/ch4_helper.cpp
inline const std::string kIpcChild = KATA_CH4_IPC_CHILD;  // helpers/ch4_ipc_child.cpp
inline const std::string kForkEcho = KATA_CH4_FORK_ECHO;  // helpers/ch4_fork_echo.cpp

inline std::string str(const kata::events::Args& a, size_t i = 0) { return std::any_cast<std::string>(a.at(i)); }

// "3" / "null": how Node prints an exit code or signal that may be absent.
inline std::string show(const std::optional<int>& v) { return v ? std::to_string(*v) : "null"; }
inline std::string show(const std::optional<std::string>& v) { return v ? *v : "null"; }

// A loop on the real clock (processes are real), which the watchdog
// describes if a test hangs.
struct RealLoop {
  kata::RealClock clock;
  kata::node::Loop loop{clock};
  RealLoop() {
    // Real processes (and the node twins some tests run) on a shared
    // machine: more than the default 5 s before calling it a hang.
    kata::testing::set_watchdog_seconds(15);
    kata::testing::describe_pending([this] { return loop.describe(); });
  }
  ~RealLoop() { kata::testing::describe_pending(nullptr); }
};

struct RawResult {
  int status = -1;  // waitpid status
  std::string out;
};

// posix_spawn + blocking read + waitpid: independent of the code under test.
inline RawResult run_raw(const std::vector<std::string>& argv) {
  RawResult r;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return r;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int err = ::posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(p[1]);
  if (err == 0) {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(p[0], buf, sizeof buf)) > 0) r.out.append(buf, size_t(n));
    ::waitpid(pid, &r.status, 0);
  }
  ::close(p[0]);
  return r;
}

// Starts a helper with posix_spawn and returns its pid (the test reaps it).
inline pid_t start_raw(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
  return pid;
}

}  // namespace ch4
