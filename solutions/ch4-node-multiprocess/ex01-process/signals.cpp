// process.on('SIGUSR2', fn): a signal becomes an event on the loop.
//
// A signal handler may run on any thread, at any instruction: it can't call
// listeners, take locks or allocate. So, as libuv does, the handler only
// writes the signal number into a pipe (write(2) is async-signal-safe), and
// the loop's poll phase, watching the pipe's other end, emits the event on
// the loop thread like any other I/O callback.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>

#include "node_runtime.hpp"
#include "os_process.hpp"

namespace kata::process {

namespace {
std::atomic<int> g_write_end[NSIG];  // per signal: the pipe its handler writes to (0 = none)

void on_signal_handler(int sig) {
  const int saved = errno;  // the interrupted code may be about to read errno
  const int fd = g_write_end[sig].load() - 1;
  if (fd >= 0) {
    const unsigned char byte = static_cast<unsigned char>(sig);
    (void)!::write(fd, &byte, 1);  // a full pipe drops the byte: signals coalesce anyway
  }
  errno = saved;
}
}  // namespace

class SignalWatch {
 public:
  SignalWatch(kata::node::Loop& loop, int signal, std::string name);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  int signal_;
  int pipe_[2] = {-1, -1};
  struct sigaction previous_ {};
  std::shared_ptr<kata::node::IoWatcher> watcher_;
};

SignalWatch::SignalWatch(kata::node::Loop& loop, int signal, std::string name) : signal_(signal) {
  if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw SystemError(errno, "pipe2", "pipe2 failed");
  int expected = 0;
  if (!g_write_end[signal].compare_exchange_strong(expected, pipe_[1] + 1)) {
    ::close(pipe_[0]);
    ::close(pipe_[1]);
    throw std::logic_error("on_signal: " + name + " is already watched");
  }
  struct sigaction sa {};
  sa.sa_handler = on_signal_handler;
  sa.sa_flags = SA_RESTART;  // interrupted system calls resume
  sigemptyset(&sa.sa_mask);
  ::sigaction(signal, &sa, &previous_);

  watcher_ = loop.watch_fd(pipe_[0]);
  const int read_end = pipe_[0];
  kata::node::Loop* l = &loop;
  watcher_->start(kata::node::kReadable, [l, read_end, name](int) {
    unsigned char buf[64];
    ssize_t n;
    while ((n = ::read(read_end, buf, sizeof buf)) > 0)
      for (ssize_t i = 0; i < n; ++i) l->process().emit(name, name);
  });
  watcher_->unref();  // Node's signal handles don't keep the process alive
}

SignalWatch::~SignalWatch() {
  ::sigaction(signal_, &previous_, nullptr);  // first: no new handler calls
  g_write_end[signal_].store(0);
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

std::shared_ptr<SignalWatch> on_signal(kata::node::Loop& loop, const std::string& signal) {
  const int number = signal_number(signal);
  if (number == SIGKILL || number == SIGSTOP)
    throw SystemError(EINVAL, "uv_signal_start", "uv_signal_start EINVAL");  // Node: same
  return std::make_shared<SignalWatch>(loop, number, signal);
}

}  // namespace kata::process
