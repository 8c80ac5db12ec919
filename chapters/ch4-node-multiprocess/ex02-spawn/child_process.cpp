#include "child_process.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "kata/todo.hpp"
#include "launch_support.hpp"  // given: env_strings
#include "os_process.hpp"      // SystemError, errno_name, signal_name, signal_number

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
  KATA_TODO("spawnfile/spawnargs; a LaunchRequest (env_strings() in launch_support.hpp turns options.env "
            "into NAME=value strings) and launch(). On std::system_error: inert streams (fd -1), exit_code_ = "
            "-errno, and on the next tick \"error\" then maybe_close(): a SystemError (ex01-process/"
            "os_process.hpp) whose syscall is \"spawn <file>\", message \"spawn <file> ENOENT\" (errno_name), "
            "path = file; and a no-op loop_.queue_pending() so that a plain loop.run() runs that tick too. On "
            "success: the streams, one close needed per readable stream (its \"close\" calls maybe_close), "
            "start() them, a watcher on the pidfd calling on_exit_ready(), \"spawn\" on the next tick "
            "(hints 5-7)");
}

void ChildProcess::on_exit_ready() {
  KATA_TODO("reap() (given, launcher.hpp): nullopt = not yet; else exited_, stop_watching(exit_watcher_) "
            "(streams.hpp), close the pidfd; the exit code, or the signal's name (signal_name, os_process.hpp); "
            "destroy stdin; \"exit\"; maybe_close() (hint 7)");
}

void ChildProcess::maybe_close() {
  KATA_TODO("count; when every close needed has come: \"close\" (once), with the exit code and signal");
}

bool ChildProcess::kill(const std::string& signal) {
  (void)signal;
  KATA_TODO("kill(signal_number(signal)) (os_process.hpp)");
}

bool ChildProcess::kill(int signal) {
  (void)signal;
  KATA_TODO("false once exited; syscall(SYS_pidfd_send_signal, pidfd_, ...) (a reaped pid may name a "
            "stranger); killed_ = true on success; an error but ESRCH is an \"error\" event (hint 8)");
}

std::shared_ptr<ChildProcess> spawn(Loop& loop, const std::string& file, const std::vector<std::string>& args,
                                    const SpawnOptions& options) {
  (void)loop, (void)file, (void)args, (void)options;
  KATA_TODO("reject an empty file (std::invalid_argument), make_shared<ChildProcess>, start() it");
}

}  // namespace kata::child_process
