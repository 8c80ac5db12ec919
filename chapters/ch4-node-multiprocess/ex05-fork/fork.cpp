#include "fork.hpp"

#include <unistd.h>

#include <stdexcept>

#include "fd_passing.hpp"
#include "kata/todo.hpp"

namespace kata::child_process {

std::shared_ptr<ChildProcess> fork(Loop& loop, const std::string& program, const std::vector<std::string>& args,
                                   const ForkOptions& options) {
  (void)loop, (void)program, (void)args, (void)options;
  KATA_TODO("empty program: std::invalid_argument. ipc::socket_pair(); start() the child with "
            "spawn_options_for(options) (given, fork_support.cpp) and sv[1] as ipc_fd; close sv[1]; a Channel on sv[0] targeting the child; "
            "add_close_needed(); on_closed -> maybe_close(); on_message_listener_added -> listener_added() "
            "(weak_ptr: no cycle); start() (hint 6)");
}

// ---- the child's side ------------------------------------------------------------

kata::events::ListenerId ProcessChannel::on(const std::string& event, kata::events::Listener fn) {
  (void)event, (void)fn;
  KATA_TODO("EventEmitter::on; for \"message\": keep the loop alive and deliver what waited (hint 7)");
}

std::shared_ptr<ProcessChannel> process_channel(Loop& loop, std::size_t max_frame) {
  (void)loop, (void)max_frame;
  KATA_TODO("claim_channel_fd() (given, fork_support.cpp; -1: nullptr); a ProcessChannel whose Channel does "
            "not keep the loop alive until someone listens (hint 7)");
}

}  // namespace kata::child_process
