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

#include "kata/todo.hpp"
#include "node_runtime.hpp"
#include "os_process.hpp"

namespace kata::process {

// Define it as you need: the pipe, the previous sigaction, the IoWatcher.
// Its destructor restores the signal's previous disposition and closes
// everything it opened.
class SignalWatch {
 public:
  SignalWatch() = default;
};

std::shared_ptr<SignalWatch> on_signal(kata::node::Loop& loop, const std::string& signal) {
  (void)loop, (void)signal;
  KATA_TODO("refuse SIGKILL/SIGSTOP (SystemError EINVAL); make a pipe, install a handler that only "
            "write()s the signal number to it, watch the read end with loop.watch_fd(), emit the "
            "signal name on loop.process() when it is readable, and unref() the watcher (hint 5)");
}

}  // namespace kata::process
