#include "fork.hpp"

#include <unistd.h>

#include <stdexcept>

#include "fd_passing.hpp"

namespace kata::child_process {

std::shared_ptr<ChildProcess> fork(Loop& loop, const std::string& program, const std::vector<std::string>& args,
                                   const ForkOptions& options) {
  if (program.empty()) throw std::invalid_argument("The argument 'modulePath' cannot be empty (ERR_INVALID_ARG_VALUE)");
  int sv[2];
  ipc::socket_pair(sv);  // both ends CLOEXEC: the launcher un-CLOEXECs the child's, in the child only
  auto child = std::make_shared<ChildProcess>(loop);
  child->start(program, args, spawn_options_for(options), sv[1]);
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

// ---- the child's side ------------------------------------------------------------

kata::events::ListenerId ProcessChannel::on(const std::string& event, kata::events::Listener fn) {
  const auto id = EventEmitter::on(event, std::move(fn));
  if (event == "message" && channel) {
    channel->set_keep_alive(true);  // Node refs process.channel for a 'message' listener
    channel->listener_added();
  }
  return id;
}

std::shared_ptr<ProcessChannel> process_channel(Loop& loop, std::size_t max_frame) {
  const int fd = claim_channel_fd();
  if (fd < 0) return nullptr;  // not started by fork()
  auto target = std::make_shared<ProcessChannel>(loop);
  target->channel = std::make_shared<Channel>(loop, fd, target, max_frame);
  target->channel->set_keep_alive(false);  // until someone listens for 'message'
  target->channel->start();
  return target;
}

}  // namespace kata::child_process
