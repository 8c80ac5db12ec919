// What the chapter 3 tests share: a loop on the virtual clock that the
// watchdog can describe, and `say("x")` = a callback that console.logs "x".
#pragma once

#include <dirent.h>

#include <functional>
#include <string>

#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "node_runtime.hpp"

namespace ch3 {

using kata::node::Callback;
using kata::node::Loop;
using kata::node::LoopOptions;
using kata::node::RunMode;
using kata::testing::Lines;

inline Callback say(std::string line) {
  return [line] { kata::console::log(line); };
}
inline void log(const std::string& line) { kata::console::log(line); }

// A Loop on the test's VirtualClock; a hang names what it still waits for.
class VLoop : public Loop {
 public:
  explicit VLoop(LoopOptions options = {}) : Loop(kata::virtual_clock(), options) {
    kata::testing::describe_pending([this] { return describe(); });
  }
  ~VLoop() { kata::testing::describe_pending({}); }
};

// A Loop on real time (poll-phase tests, where the OS is the subject).
class RLoop : public Loop {
 public:
  explicit RLoop(LoopOptions options = {}) : Loop(clock_, options) {
    kata::testing::describe_pending([this] { return describe(); });
  }
  ~RLoop() { kata::testing::describe_pending({}); }

 private:
  static inline kata::RealClock clock_;
};

inline std::int64_t now() { return kata::virtual_clock().now_ms(); }

// Threads of this process (/proc/self/task).
inline int thread_count() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/task")) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') ++n;
    ::closedir(d);
  }
  return n;
}

// The lines of `all` that are in `keep` (what JavaScript can observe).
inline Lines only(const Lines& all, const Lines& keep) {
  Lines out;
  for (const auto& l : all)
    for (const auto& k : keep)
      if (l == k) { out.push_back(l); break; }
  return out;
}

}  // namespace ch3
