#include "fork.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "fd_passing.hpp"

namespace kata::child_process {

std::shared_ptr<ChildProcess> fork(Loop& loop, const std::string& program, const std::vector<std::string>& args,
                                   const ForkOptions& options) {
  if (program.empty()) throw std::invalid_argument("The argument 'modulePath' cannot be empty (ERR_INVALID_ARG_VALUE)");
  int sv[2];
  ipc::socket_pair(sv);  // both ends CLOEXEC: the launcher un-CLOEXECs the child's, in the child only

  SpawnOptions spawn_options;
  spawn_options.cwd = options.cwd;
  spawn_options.env = options.env;
  if (!options.silent) spawn_options.stdio = {Stdio::inherit, Stdio::inherit, Stdio::inherit};

  auto child = std::make_shared<ChildProcess>(loop);
  child->start(program, args, spawn_options, sv[1]);
  ::close(sv[1]);  // the child has its copy now (or never will)
  if (!child->pid()) {
    ::close(sv[0]);  // the 'error' event is on its way
    return child;
  }
  auto channel = std::make_shared<Channel>(loop, sv[0], child, options.max_frame);
  child->channel = channel;
  child->add_close_needed();  // 'close' also waits for the channel
  std::weak_ptr<ChildProcess> weak = child;
  channel->on_closed = [weak] {
    if (auto c = weak.lock()) c->maybe_close();
  };
  child->on_message_listener_added = [weak] {
    if (auto c = weak.lock(); c && c->channel) c->channel->listener_added();
  };
  channel->start();
  return child;
}

// ---- ChildProcess's IPC methods (declared in exercise 2's header) ---------------

bool ChildProcess::send(const json& message, int handle) { return channel && channel->send(message, handle); }

void ChildProcess::disconnect() {
  if (channel) channel->disconnect();
}

bool ChildProcess::connected() const { return channel && channel->connected(); }

// ---- the child's side ------------------------------------------------------------

bool ProcessChannel::send(const json& message, int handle) { return channel && channel->send(message, handle); }

void ProcessChannel::disconnect() {
  if (channel) channel->disconnect();
}

bool ProcessChannel::connected() const { return channel && channel->connected(); }

kata::events::ListenerId ProcessChannel::on(const std::string& event, kata::events::Listener fn) {
  const auto id = EventEmitter::on(event, std::move(fn));
  if (event == "message" && channel) {
    channel->set_keep_alive(true);  // Node refs process.channel for a 'message' listener
    channel->listener_added();
  }
  return id;
}

std::shared_ptr<ProcessChannel> process_channel(Loop& loop, std::size_t max_frame) {
  const char* env = std::getenv("NODE_CHANNEL_FD");
  if (env == nullptr) return nullptr;
  char* end = nullptr;
  const long fd = std::strtol(env, &end, 10);
  ::unsetenv("NODE_CHANNEL_FD");
  ::unsetenv("NODE_CHANNEL_SERIALIZATION_MODE");
  if (end == env || *end != '\0' || fd < 0) throw std::invalid_argument("NODE_CHANNEL_FD is not an fd number");
  ::fcntl(int(fd), F_SETFD, FD_CLOEXEC);  // ours, not our children's
  auto target = std::make_shared<ProcessChannel>(loop);
  target->channel = std::make_shared<Channel>(loop, int(fd), target, max_frame);
  target->channel->set_keep_alive(false);
  target->channel->start();
  return target;
}

json message_arg(const Args& args) { return std::any_cast<json>(args.at(0)); }

int handle_arg(const Args& args) { return args.size() > 1 ? std::any_cast<int>(args.at(1)) : -1; }

}  // namespace kata::child_process
