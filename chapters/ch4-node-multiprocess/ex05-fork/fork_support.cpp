// Given parts of fork (declared in fork.hpp and in exercise 2's
// child_process.hpp): what only forwards to the Channel, the environment
// variable a forked child finds its channel in, the spawn options of a
// fork, and the readers of "message" arguments.
#include <fcntl.h>

#include <cstdlib>
#include <stdexcept>

#include "fork.hpp"

namespace kata::child_process {

// ---- ChildProcess's and ProcessChannel's IPC methods: the Channel does the work ----

bool ChildProcess::send(const json& message, int handle) { return channel && channel->send(message, handle); }

void ChildProcess::disconnect() {
  if (channel) channel->disconnect();
}

bool ChildProcess::connected() const { return channel && channel->connected(); }

bool ProcessChannel::send(const json& message, int handle) { return channel && channel->send(message, handle); }

void ProcessChannel::disconnect() {
  if (channel) channel->disconnect();
}

bool ProcessChannel::connected() const { return channel && channel->connected(); }

// ---- NODE_CHANNEL_FD ------------------------------------------------------------

int claim_channel_fd() {
  const char* env = std::getenv("NODE_CHANNEL_FD");
  if (env == nullptr) return -1;
  char* end = nullptr;
  const long fd = std::strtol(env, &end, 10);
  const bool number = end != env && *end == '\0' && fd >= 0;
  ::unsetenv("NODE_CHANNEL_FD");
  ::unsetenv("NODE_CHANNEL_SERIALIZATION_MODE");
  if (!number) throw std::invalid_argument("NODE_CHANNEL_FD is not an fd number");
  ::fcntl(int(fd), F_SETFD, FD_CLOEXEC);  // ours, not our children's
  return int(fd);
}

// ---- the options of the spawn ----------------------------------------------------

SpawnOptions spawn_options_for(const ForkOptions& options) {
  SpawnOptions spawn_options;
  spawn_options.cwd = options.cwd;
  spawn_options.env = options.env;
  if (!options.silent) spawn_options.stdio = {Stdio::inherit, Stdio::inherit, Stdio::inherit};
  return spawn_options;
}

// ---- "message" arguments --------------------------------------------------------

json message_arg(const Args& args) { return std::any_cast<json>(args.at(0)); }

int handle_arg(const Args& args) { return args.size() > 1 ? std::any_cast<int>(args.at(1)) : -1; }

}  // namespace kata::child_process
