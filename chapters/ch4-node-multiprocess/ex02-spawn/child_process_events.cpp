// Given: the small parts of child_process.hpp that are not the lesson.
// ChildProcess::on() adds Node's 'newListener' hook that fork() (exercise 5)
// uses to deliver the messages that arrived before the first "message"
// listener; the readers unpack the std::any arguments of "exit", "close"
// and "error" for callers.
#include <exception>

#include "child_process.hpp"

namespace kata::child_process {

kata::events::ListenerId ChildProcess::on(const std::string& event, kata::events::Listener fn) {
  const auto id = EventEmitter::on(event, std::move(fn));
  if (event == "message" && on_message_listener_added) on_message_listener_added();
  return id;
}

std::optional<int> exit_code_arg(const Args& args) { return std::any_cast<std::optional<int>>(args.at(0)); }

std::optional<std::string> signal_arg(const Args& args) {
  return std::any_cast<std::optional<std::string>>(args.at(1));
}

void rethrow_error_arg(const Args& args) { std::rethrow_exception(std::any_cast<std::exception_ptr>(args.at(0))); }

}  // namespace kata::child_process
