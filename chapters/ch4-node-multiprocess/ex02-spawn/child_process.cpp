#include "child_process.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "kata/todo.hpp"
#include "os_process.hpp"

namespace kata::child_process {

using kata::node::kReadable;

ChildProcess::ChildProcess(Loop& loop) : loop_(loop) {}

ChildProcess::~ChildProcess() {
  if (exit_watcher_ && !exit_watcher_->is_closing()) exit_watcher_->close();
  if (pidfd_ >= 0) ::close(pidfd_);
}

void ChildProcess::start(const std::string& file, const std::vector<std::string>& args,
                         const SpawnOptions& options, int ipc_fd) {
  (void)file, (void)args, (void)options, (void)ipc_fd;
  KATA_TODO("launch(); on std::system_error: inert streams (fd -1), exit_code_ = -errno, and on the next "
            "tick \"error\" (a SystemError \"spawn <file> ENOENT\") then maybe_close(), and a no-op "
            "loop_.queue_pending() so that a plain loop.run() runs that tick too. On success: the "
            "streams, a close_needed per readable stream, a watcher on the pidfd, \"spawn\" on the next "
            "tick (hints 7-8)");
}

void ChildProcess::on_exit_ready() {
  KATA_TODO("reap(); close the pidfd watcher and the pidfd; exit code or signal name; destroy stdin; "
            "\"exit\"; maybe_close() (hint 8)");
}

void ChildProcess::maybe_close() {
  KATA_TODO("count; when every close needed has come: \"close\" (once), with the exit code and signal");
}

bool ChildProcess::kill(const std::string& signal) {
  (void)signal;
  KATA_TODO("kill(signal_number(signal))");
}

bool ChildProcess::kill(int signal) {
  (void)signal;
  KATA_TODO("false once exited; pidfd_send_signal (a reaped pid may name a stranger); killed_ = true on "
            "success (hint 9)");
}

// ---- given: the 'newListener' hook exercise 5 uses --------------------------------
kata::events::ListenerId ChildProcess::on(const std::string& event, kata::events::Listener fn) {
  const auto id = EventEmitter::on(event, std::move(fn));
  if (event == "message" && on_message_listener_added) on_message_listener_added();
  return id;
}

std::shared_ptr<ChildProcess> spawn(Loop& loop, const std::string& file, const std::vector<std::string>& args,
                                    const SpawnOptions& options) {
  (void)loop, (void)file, (void)args, (void)options;
  KATA_TODO("reject an empty file (std::invalid_argument), make_shared<ChildProcess>, start() it");
}

// ---- given: event argument readers ------------------------------------------------
std::optional<int> exit_code_arg(const Args& args) { return std::any_cast<std::optional<int>>(args.at(0)); }

std::optional<std::string> signal_arg(const Args& args) {
  return std::any_cast<std::optional<std::string>>(args.at(1));
}

void rethrow_error_arg(const Args& args) { std::rethrow_exception(std::any_cast<std::exception_ptr>(args.at(0))); }

}  // namespace kata::child_process
