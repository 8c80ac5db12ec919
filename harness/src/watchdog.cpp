#include "watchdog.hpp"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "kata/console.hpp"

namespace kata::testing::watchdog {
namespace {
using Clock = std::chrono::steady_clock;

struct State {
  std::mutex mutex;
  std::condition_variable changed;
  bool armed = false;
  std::string test;
  Clock::time_point start;
  Clock::time_point deadline;
  std::function<std::string()> describe;
  std::vector<std::function<void()>> cleanups;
  std::thread thread;
};

State& state() {
  static State* s = new State;  // leaked on purpose: lives until _exit
  return *s;
}

[[noreturn]] void expire() {
  State& s = state();
  const double seconds = std::chrono::duration<double>(Clock::now() - s.start).count();
  std::string pending = "(nothing registered: the loop under test did not describe its queues)";
  if (s.describe) {
    try {
      pending = s.describe();
    } catch (...) {
      pending = "(the description itself failed)";
    }
  }
  auto lines = kata::trace();
  std::string tail;
  const size_t from = lines.size() > 15 ? lines.size() - 15 : 0;
  if (from > 0) tail += "      ... " + std::to_string(from) + " earlier events\n";
  for (size_t i = from; i < lines.size(); ++i) tail += "      " + lines[i] + "\n";
  if (lines.empty()) tail = "      (nothing traced)\n";
  std::fprintf(stderr,
               "\n\u2717 hang: %s did not finish within %.1f s (watchdog).\n"
               "  Probably an endless loop, or a loop that waits for work that never comes.\n"
               "  still pending: %s\n"
               "  trace so far:\n%s",
               s.test.c_str(), seconds, pending.c_str(), tail.c_str());
  std::fflush(stderr);
  run_cleanups();
  std::_Exit(124);
}

void watch() {
  State& s = state();
  std::unique_lock<std::mutex> lock(s.mutex);
  for (;;) {
    if (!s.armed) {
      s.changed.wait(lock);
      continue;
    }
    if (s.changed.wait_until(lock, s.deadline) == std::cv_status::timeout && s.armed &&
        Clock::now() >= s.deadline) {
      expire();
    }
  }
}
}  // namespace

double default_seconds() {
  const char* v = std::getenv("KATA_WATCHDOG_SECONDS");
  if (v != nullptr) {
    const double d = std::atof(v);
    if (d > 0) return d;
  }
  return 5.0;
}

void arm(const std::string& test_name, double seconds) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.thread.joinable()) {
    s.thread = std::thread(watch);
    s.thread.detach();
  }
  s.armed = true;
  s.test = test_name;
  s.start = Clock::now();
  s.deadline = s.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  s.describe = nullptr;
  s.changed.notify_all();
}

void disarm() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.armed = false;
  s.describe = nullptr;
  s.cleanups.clear();
  s.changed.notify_all();
}

void set_budget(double seconds) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.deadline = s.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  s.changed.notify_all();
}

void set_description(std::function<std::string()> describe) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.describe = std::move(describe);
}

void add_cleanup(std::function<void()> cleanup) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.cleanups.push_back(std::move(cleanup));
}

void run_cleanups() {
  // Called while dying; no lock (the watch thread may hold it).
  static bool ran = false;
  if (ran) return;
  ran = true;
  for (auto& c : state().cleanups) {
    try {
      c();
    } catch (...) {
    }
  }
}

}  // namespace kata::testing::watchdog
