#include "fork.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "fd_passing.hpp"
#include "kata/todo.hpp"

namespace kata::child_process {

std::shared_ptr<ChildProcess> fork(Loop& loop, const std::string& program, const std::vector<std::string>& args,
                                   const ForkOptions& options) {
  (void)loop, (void)program, (void)args, (void)options;
  KATA_TODO("empty program: std::invalid_argument. socket_pair(); start() the child with sv[1] as ipc_fd "
            "(stdio inherited unless silent); close sv[1]; a Channel on sv[0] targeting the child; "
            "add_close_needed(); on_closed -> maybe_close(); on_message_listener_added -> listener_added() "
            "(weak_ptr: no cycle); start() (hint 5)");
}

// ---- ChildProcess's IPC methods (declared in exercise 2's header) ---------------

bool ChildProcess::send(const json& message, int handle) {
  (void)message, (void)handle;
  KATA_TODO("channel->send, false without a channel");
}

void ChildProcess::disconnect() { KATA_TODO("channel->disconnect()"); }

bool ChildProcess::connected() const { KATA_TODO("channel && channel->connected()"); }

// ---- the child's side ------------------------------------------------------------

bool ProcessChannel::send(const json& message, int handle) {
  (void)message, (void)handle;
  KATA_TODO("channel->send");
}

void ProcessChannel::disconnect() { KATA_TODO("channel->disconnect()"); }

bool ProcessChannel::connected() const { KATA_TODO("channel && channel->connected()"); }

kata::events::ListenerId ProcessChannel::on(const std::string& event, kata::events::Listener fn) {
  (void)event, (void)fn;
  KATA_TODO("EventEmitter::on; for \"message\": keep the loop alive and deliver what waited (hint 6)");
}

std::shared_ptr<ProcessChannel> process_channel(Loop& loop, std::size_t max_frame) {
  (void)loop, (void)max_frame;
  KATA_TODO("NODE_CHANNEL_FD: parse, unsetenv it, CLOEXEC the fd, a ProcessChannel whose Channel does not "
            "keep the loop alive until someone listens (hint 6)");
}

// ---- given: event argument readers ------------------------------------------------
json message_arg(const Args& args) { return std::any_cast<json>(args.at(0)); }

int handle_arg(const Args& args) { return args.size() > 1 ? std::any_cast<int>(args.at(1)) : -1; }

}  // namespace kata::child_process
