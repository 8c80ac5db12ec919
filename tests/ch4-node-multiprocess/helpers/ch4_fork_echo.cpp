// A forked child written with the kata runtime itself (the reference
// kata_ref_child_process on the chapter-3 loop): the C++ twin of a Node
// worker doing process.on('message', m => process.send(m)). It exits when
// the parent disconnects (then nothing keeps its loop alive).
// With argument "listen-late" it adds its 'message' listener only after
// 300 ms, then sends back {"got": [every message so far]}: messages that
// arrived before a listener existed wait for it (as in a Node child).
#include <memory>
#include <string>

#include "fork.hpp"
#include "kata/clock.hpp"
#include "node_runtime.hpp"
#include "pdeathsig.hpp"

namespace cp = kata::child_process;

int main(int argc, char** argv) {
  const bool listen_late = argc > 1 && std::string(argv[1]) == "listen-late";
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
