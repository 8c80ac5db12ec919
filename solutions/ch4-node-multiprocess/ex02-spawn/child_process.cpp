#include "child_process.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "launch_support.hpp"
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
  spawnfile = file;
  spawnargs = {file};
  spawnargs.insert(spawnargs.end(), args.begin(), args.end());

  LaunchRequest req{file, args, options.cwd, std::nullopt, options.stdio, ipc_fd};
  if (options.env) req.env = env_strings(*options.env);

  auto self = shared_from_this();
  Launched launched;
  try {
    launched = launch(req);
  } catch (const std::system_error& e) {
    // Node: the failure is an 'error' event on the next tick, then 'close'
    // with code -errno and no 'exit' — never a throw out of spawn().
    const int err = e.code().value();
    std_in = std::make_shared<WritableStream>(loop_, -1);
    std_out = std::make_shared<ReadableStream>(loop_, -1);
    std_err = std::make_shared<ReadableStream>(loop_, -1);
    kata::process::SystemError error(err, "spawn " + file, "spawn " + file + " " + kata::process::errno_name(err));
    error.path = file;
    exit_code_ = -err;
    loop_.next_tick([self, error] {
      self->emit("error", std::make_exception_ptr(error));
      self->maybe_close();
    });
    // Nothing of this child keeps the loop alive, and a tick queued outside
    // any callback runs only after the loop's next callback: with a plain
    // loop.run() (not run_main) the 'error' would never come. A pending
    // callback keeps run() going for one iteration; the ticks queued so far
    // (ours among them, in order) run right after it, as Node runs them
    // after the main script. Under run_main they already ran: it is a no-op.
    // (Node emits 'close' after the child's stdio pipes closed, a little
    // later than here when they are pipes; with inherited stdio, as here.)
    loop_.queue_pending([] {});
    return;
  }

  pid_ = launched.pid;
  pidfd_ = launched.pidfd;
  std_in = std::make_shared<WritableStream>(loop_, launched.stdin_fd);
  std_out = std::make_shared<ReadableStream>(loop_, launched.stdout_fd);
  std_err = std::make_shared<ReadableStream>(loop_, launched.stderr_fd);
  for (auto* stream : {&std_out, &std_err}) {
    if ((*stream)->closed()) continue;
    ++closes_needed_;  // 'close' waits for this stream's 'close'
    (*stream)->once("close", [self](const Args&) { self->maybe_close(); });
    (*stream)->start();
  }
  // The exit: the pidfd becomes readable when the child is a zombie; the
  // poll phase tells us, nothing blocks, and we are its only reaper.
  exit_watcher_ = loop_.watch_fd(pidfd_);
  exit_watcher_->start(kReadable, [self](int) { self->on_exit_ready(); });
  loop_.next_tick([self] { self->emit("spawn"); });
}

void ChildProcess::on_exit_ready() {
  auto status = reap(*pid_);
  if (!status) return;  // not yet (a spurious wake-up)
  exited_ = true;
  stop_watching(exit_watcher_);  // its callback holds us: let it go
  ::close(pidfd_);
  pidfd_ = -1;
  if (status->signal != 0) {
    signal_code_ = kata::process::signal_name(status->signal);
  } else {
    exit_code_ = status->code;
  }
  // Node destroys stdin when the child exits: nobody will read it now.
  if (std_in) std_in->destroy();
  emit("exit", exit_code_, signal_code_);
  maybe_close();
}

void ChildProcess::maybe_close() {
  ++closes_got_;
  if (closes_got_ < closes_needed_ || close_emitted_) return;
  close_emitted_ = true;
  emit("close", exit_code_, signal_code_);
}

bool ChildProcess::kill(const std::string& signal) { return kill(kata::process::signal_number(signal)); }

bool ChildProcess::kill(int signal) {
  if (!pid_ || exited_ || pidfd_ < 0) return false;
  // Through the pidfd, not the pid: once reaped, a pid can name a stranger.
  if (::syscall(SYS_pidfd_send_signal, pidfd_, signal, nullptr, 0) == 0) {
    killed_ = true;
    return true;
  }
  const int err = errno;
  if (err != ESRCH) {
    emit("error", std::make_exception_ptr(kata::process::SystemError(err, "kill", "kill " +
                                                                                   kata::process::errno_name(err))));
  }
  return false;
}

std::shared_ptr<ChildProcess> spawn(Loop& loop, const std::string& file, const std::vector<std::string>& args,
                                    const SpawnOptions& options) {
  if (file.empty()) throw std::invalid_argument("The argument 'file' cannot be empty (ERR_INVALID_ARG_VALUE)");
  auto child = std::make_shared<ChildProcess>(loop);
  child->start(file, args, options);
  return child;
}

}  // namespace kata::child_process
