// child_process.fork(): a child with an IPC channel, and the child's side of
// it (Node's process.send / process.on('message')).
//
// Parent:
//   auto child = fork(loop, "/path/to/worker", {"arg"});
//   child->on("message", [](const Args& a) { json msg = message_arg(a); int handle = handle_arg(a); });
//   child->send({{"hello", "world"}});          // or send(msg, fd) to pass a socket
//   child->disconnect();
// Child (a program started by fork()):
//   auto parent = process_channel(loop);        // from NODE_CHANNEL_FD
//   parent->on("message", ...); parent->send(...);
//
// Node forks `node script.js`; here the program is any executable that
// speaks the wire (ours: process_channel(); or the test helper).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channel.hpp"
#include "child_process.hpp"

namespace kata::child_process {

using ipc::json;

struct ForkOptions {
  std::optional<std::string> cwd;
  std::optional<std::map<std::string, std::string>> env;  // nullopt: ours
  // Node's fork inherits stdout/stderr (silent: false); silent pipes them.
  bool silent = false;
  std::size_t max_frame = ipc::kDefaultMaxFrame;  // bigger frames are refused
};

// Starts `program` with a socketpair end announced as NODE_CHANNEL_FD.
// Throws std::invalid_argument for an empty program; a program that does
// not exist is an 'error' event (as spawn).
std::shared_ptr<ChildProcess> fork(Loop& loop, const std::string& program, const std::vector<std::string>& args = {},
                                   const ForkOptions& options = {});

// The child's side: its channel to the parent, an EventEmitter with the
// events of channel.hpp. Kept alive by the loop only while it has a
// "message" listener (or messages to write), as Node's process.channel.
class ProcessChannel : public kata::events::EventEmitter, public std::enable_shared_from_this<ProcessChannel> {
 public:
  explicit ProcessChannel(Loop& loop) : loop_(loop) {}
  bool send(const json& message, int handle = -1);
  void disconnect();
  bool connected() const;
  kata::events::ListenerId on(const std::string& event, kata::events::Listener fn);
  using kata::events::EventEmitter::once;

  std::shared_ptr<Channel> channel;

 private:
  Loop& loop_;
};

// nullptr when this process was not started by fork(). Reads and removes
// NODE_CHANNEL_FD (so our own children don't inherit the claim).
std::shared_ptr<ProcessChannel> process_channel(Loop& loop, std::size_t max_frame = ipc::kDefaultMaxFrame);

// ---- given (fork_support.cpp) ---------------------------------------------------
// ChildProcess::send / disconnect / connected and ProcessChannel's are
// defined there too: they only forward to the Channel.

// The channel fd our parent announced in NODE_CHANNEL_FD, made close-on-exec
// (ours, not our children's), or -1 when there is none. Removes the variable
// (and NODE_CHANNEL_SERIALIZATION_MODE), so that our own children do not
// claim the channel. Throws std::invalid_argument when it is no fd number.
int claim_channel_fd();

// The spawn options of a fork: its cwd and env; stdin, stdout and stderr
// inherited (Node's fork, silent: false), or piped when `silent`.
SpawnOptions spawn_options_for(const ForkOptions& options);

// Readers for "message" arguments.
json message_arg(const Args& args);
int handle_arg(const Args& args);  // -1 when no handle came with it

}  // namespace kata::child_process
