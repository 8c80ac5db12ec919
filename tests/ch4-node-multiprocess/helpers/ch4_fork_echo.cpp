// A forked child written with the kata runtime itself (the reference
// kata_ref_child_process on the chapter-3 loop): the C++ twin of a Node
// worker doing process.on('message', m => process.send(m)). It exits when
// the parent disconnects (then nothing keeps its loop alive).
// With argument "listen-late" it adds its 'message' listener only after
// 300 ms, then sends back {"got": [every message so far]}: messages that
// arrived before a listener existed wait for it (as in a Node child).
// With "low-fd-limit" it lowers RLIMIT_NOFILE to the fds it has open, so a
// handle sent to it cannot be installed (recvmsg says MSG_CTRUNC); it
// replies {"got":msg,"handle":bool} per message and {"error":code,"text":...}
// per 'error'.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "fork.hpp"
#include "kata/clock.hpp"
#include "node_runtime.hpp"
#include "pdeathsig.hpp"

namespace cp = kata::child_process;

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const bool listen_late = mode == "listen-late";
  kata_helpers::die_with_parent();
  kata::RealClock clock;
  kata::node::Loop loop(clock);
  return loop.run_main([&] {
    auto parent = cp::process_channel(loop);
    if (!parent) {
      loop.process().exit_code = 70;
      return;
    }
    cp::ProcessChannel* p = parent.get();  // kept alive by its channel until 'disconnect'
    if (mode == "low-fd-limit") {
      // The lowest free fd number is the limit: no new fd can be made.
      const int lowest_free = ::fcntl(0, F_DUPFD_CLOEXEC, 0);
      ::close(lowest_free);
      const rlimit lim{rlim_t(lowest_free), rlim_t(lowest_free)};
      if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) loop.process().exit_code = 71;
      parent->on("error", [p](const cp::Args& a) {
        try {
          cp::rethrow_error_arg(a);
        } catch (const cp::IpcError& e) {
          p->send({{"error", e.code}, {"text", e.what()}});
        } catch (...) {
          p->send({{"error", "?"}});
        }
      });
      parent->on("message", [p](const cp::Args& a) {
        const int handle = cp::handle_arg(a);
        if (handle >= 0) ::close(handle);
        p->send({{"got", cp::message_arg(a)}, {"handle", handle >= 0}});
      });
      return;
    }
    if (!listen_late) {
      parent->on("message", [p](const cp::Args& a) { p->send(cp::message_arg(a)); });
      return;
    }
    loop.set_timeout([&loop, p] {
      auto got = std::make_shared<cp::json>(cp::json::array());
      p->on("message", [got](const cp::Args& a) { got->push_back(cp::message_arg(a)); });
      loop.set_timeout([p, got] { p->send({{"got", *got}}); }, 100);
    }, 300);
  });
}
