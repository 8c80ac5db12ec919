// kata::child_process — Node's child_process.spawn and the ChildProcess
// object every other way of starting a child returns (exec, execFile, fork).
//
//   auto child = spawn(loop, "ls", {"-c"});
//   child->std_out->on("data", [](const Args& a) { ... std::any_cast<std::string>(a[0]) ... });
//   child->on("close", [](const Args& a) { ... exit_code_arg(a) ... });
//
// (child.stdout is spelled std_out: stdout is a macro in C.)
// Events, in Node's order:
//   "spawn" ()                                   the child started (next tick)
//   "error" (std::exception_ptr)                 it could not start (next tick),
//                                                or kill() failed; SystemError
//   "exit"  (std::optional<int> code, std::optional<std::string> signal)
//   "close" (same as exit)                       exit AND all stdio closed:
//                                                always after "exit"
// A spawn failure is an 'error' then a 'close' (code = -errno), no 'exit';
// it is never an exception out of spawn().
#pragma once

#include <sys/types.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "event_emitter.hpp"
#include "launcher.hpp"
#include "node_runtime.hpp"
#include "streams.hpp"

namespace kata::child_process {

using kata::events::Args;
using kata::node::Loop;

struct SpawnOptions {
  std::optional<std::string> cwd;
  // The child's whole environment; nullopt = a copy of ours (process.env).
  std::optional<std::map<std::string, std::string>> env;
  std::array<Stdio, 3> stdio{Stdio::pipe, Stdio::pipe, Stdio::pipe};
};

class Channel;  // fork's IPC channel (exercise 5)

class ChildProcess : public kata::events::EventEmitter, public std::enable_shared_from_this<ChildProcess> {
 public:
  explicit ChildProcess(Loop& loop);
  ~ChildProcess() override;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Piped stdio (never null; a stream that is not piped never emits).
  std::shared_ptr<WritableStream> std_in;
  std::shared_ptr<ReadableStream> std_out;
  std::shared_ptr<ReadableStream> std_err;

  std::optional<int> pid() const { return pid_; }  // nullopt when spawn failed
  std::optional<int> exit_code() const { return exit_code_; }
  std::optional<std::string> signal_code() const { return signal_code_; }
  // child.killed: kill() delivered a signal (not: the child died of it).
  bool killed() const { return killed_; }
  // True once the child has exited (and been reaped).
  bool exited() const { return exited_; }
  std::string spawnfile;
  std::vector<std::string> spawnargs;  // argv, spawnfile first

  // child.kill(signal): false when the child already exited (or the signal
  // could not be delivered); throws kata::process::UnknownSignal.
  bool kill(const std::string& signal = "SIGTERM");
  bool kill(int signal);

  // on() with Node's 'newListener' hook: adding a "message" listener
  // delivers the messages that arrived before it (exercise 5). Given
  // (child_process_events.cpp).
  kata::events::ListenerId on(const std::string& event, kata::events::Listener fn);
  using kata::events::EventEmitter::once;

  // ---- IPC, for children started by fork() — defined in exercise 5 ---------------
  // child.send(message[, handle]): queues one JSON message (and a copy of the
  // fd `handle`, -1 for none; you keep yours). Returns false when the
  // channel is closed. Throws std::invalid_argument for a message that has
  // no JSON text (invalid UTF-8).
  bool send(const nlohmann::ordered_json& message, int handle = -1);
  // Closes the channel: 'disconnect' on both sides (after queued messages
  // are written).
  void disconnect();
  bool connected() const;

  // ---- for spawn() / fork() -----------------------------------------------------
  // Starts the child; on failure arranges 'error' then 'close'.
  void start(const std::string& file, const std::vector<std::string>& args, const SpawnOptions& options,
             int ipc_fd = -1);
  // Node's maybeClose: 'close' once exit + every stream closed (+ channel).
  void add_close_needed() { ++closes_needed_; }
  void maybe_close();
  std::shared_ptr<Channel> channel;                 // set by fork()
  std::function<void()> on_message_listener_added;  // set by fork()
  Loop& loop() const { return loop_; }

 private:
  void on_exit_ready();

  Loop& loop_;
  std::optional<int> pid_;
  int pidfd_ = -1;
  std::shared_ptr<kata::node::IoWatcher> exit_watcher_;
  std::optional<int> exit_code_;
  std::optional<std::string> signal_code_;
  bool killed_ = false;
  bool exited_ = false;
  bool close_emitted_ = false;
  int closes_needed_ = 1;  // the exit itself, plus one per readable stream
  int closes_got_ = 0;
};

// child_process.spawn(file, args, options): starts `file` with `args`, no
// shell: each argument reaches the program byte for byte. Throws
// std::invalid_argument (Node: ERR_INVALID_ARG_VALUE) for an empty file;
// every failure to start is an 'error' event instead.
std::shared_ptr<ChildProcess> spawn(Loop& loop, const std::string& file, const std::vector<std::string>& args = {},
                                    const SpawnOptions& options = {});

// Readers for event arguments (given: child_process_events.cpp):
// exit_code_arg(args) / signal_arg(args) for "exit" and "close";
// rethrow_error_arg(args) rethrows an "error" argument as the exception it
// carries (use in a try block).
std::optional<int> exit_code_arg(const Args& args);
std::optional<std::string> signal_arg(const Args& args);
[[noreturn]] void rethrow_error_arg(const Args& args);

}  // namespace kata::child_process
