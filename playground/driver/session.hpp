// One JavaScript program on one kata::node::Loop: the host's requests
// (setTimeout, nextTick, fs.readFile, ...) become loop calls, and each
// callback the loop runs is a "run callback <id>" sent back to the host.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "bridge_clock.hpp"
#include "node_runtime.hpp"
#include "wire.hpp"

namespace playground {

struct Options {
  bool legacy = false;           // Node ≤ 10 tick mode
  std::int64_t startup_ms = 0;   // bootstrap time between the script and the loop
  std::int64_t start_ms = 0;     // the clock's start (the host's real Date.now())
  bool trace = false;            // count iterations (a prepare hook)
};

class Session {
 public:
  Session(Wire& wire, const Options& options);
  ~Session();
  // Runs the program (main script, loop, beforeExit/exit); reports the end.
  void run();

 private:
  // Sends "run callback id" and serves the host's requests until it is done.
  // A JavaScript exception comes out as JsError (an uncaught exception).
  void run_js(std::uint64_t id, const char* kind, const std::string& args = "", const std::string& payload = "");
  void handle(const Message& m);
  std::string status() const;

  Wire& wire_;
  Options options_;
  BridgeClock clock_;
  std::unique_ptr<kata::node::Loop> loop_;
  std::unordered_map<std::uint64_t, kata::node::Timeout> timers_;
  std::unordered_map<std::uint64_t, kata::node::Immediate> immediates_;
  kata::events::ListenerId uncaught_listener_ = 0;
  bool has_uncaught_listener_ = false;
  std::shared_ptr<kata::node::Hook> prepare_;
  std::int64_t iteration_ = 0;
  bool in_exit_ = false;
};

}  // namespace playground
