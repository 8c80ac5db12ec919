// Hidden check of ch3.ex06 (kata/probe.hpp): what handle.cpp decides.
// Random programs of handles — idle/prepare/check hooks (unref'd, or ref'd
// with a timer that closes them) and asyncs — closed from timers,
// immediates, I/O, ticks, hooks and from close callbacks themselves (those
// wait for the next iteration's close phase); close callbacks that queue
// immediates, ticks, microtasks and close more handles; a second close
// (std::logic_error); is_closing/is_active/has_ref after close; handles
// whose owner lets go while they close (the loop keeps them until their
// callback, then releases them). Each callback logs its name and the clock.
//
//     ./build/learner/ch3_ex06 --kata-probe --seed 7 --cases 3
#include "ch3_probe.hpp"

namespace {

using namespace ch3probe;

constexpr int kPrograms = 8;
using kata::node::Async;
using kata::node::Handle;

struct Extra {
  Loop& loop;
  Rng& rng;
  Program& p;
  std::vector<std::pair<std::string, std::weak_ptr<Handle>>> dropped;
  std::vector<std::pair<std::string, std::shared_ptr<Handle>>> handles;  // ref'd hooks, asyncs

  void state(const std::string& name, const Handle& h) {
    log(name + " closing=" + std::to_string(h.is_closing()) + " active=" + std::to_string(h.is_active()) +
        " ref=" + std::to_string(h.has_ref()) + " alive=" + std::to_string(loop.alive()));
  }

  void close(const std::string& name, Handle& h) {
    try {
      h.close([this, name] { p.closed(name); });
      log("close " + name);
    } catch (const std::logic_error&) {
      log("close " + name + " again: logic_error");
    }
  }

  // A ref'd handle and the timer that closes it (so the loop never waits
  // on it for ever).
  void refd_handle() {
    const std::string n = p.fresh("R");
    std::shared_ptr<Handle> h;
    if (rng.chance(50)) {
      auto hook = loop.hook(rng.pick<HookKind>({HookKind::Prepare, HookKind::Check}));
      auto count = std::make_shared<int>(0);
      hook->start([n, count] {
        if (++*count <= 3) log(at(n + " hook#" + std::to_string(*count)));
      });
      h = hook;
    } else {
      h = loop.async([n] { log(at(n + " async")); });
    }
    if (rng.chance(20)) h->unref();
    std::weak_ptr<Handle> weak = h;
    loop.set_timeout([this, n, weak] {
      auto s = weak.lock();
      if (s && !s->is_closing()) close(n, *s);
    }, rng.between(1, 30));
    handles.emplace_back(n, h);
    state(n, *h);
  }

  void act(const std::string& where) {
    const int r = rng.below(10);
    if (r < 3) {
      refd_handle();
    } else if (r < 5 && !handles.empty()) {
      auto& [n, h] = handles[std::size_t(rng.below(int(handles.size())))];
      log(where);
      close(n, *h);
      state(n, *h);
    } else if (r < 7 && !p.hooks.empty()) {
      // Close and let go: only the loop holds it now.
      const std::size_t i = std::size_t(rng.below(int(p.hooks.size())));
      auto rec = p.hooks[i];
      p.hooks.erase(p.hooks.begin() + long(i));
      log(where + " drop " + rec.name);
      if (!rec.hook->is_closing()) close(rec.name, *rec.hook);
      dropped.emplace_back(rec.name, rec.hook);
    } else if (!p.hooks.empty()) {
      auto& rec = p.hooks[std::size_t(rng.below(int(p.hooks.size())))];
      state(where + " " + rec.name, *rec.hook);
    }
  }
};

void one_program(Rng& rng) {
  Loop loop(kata::virtual_clock());
  Guard guard(loop);
  Weights w;
  w.hook = 6;
  w.close_hook = 6;
  w.timeout = 4;
  w.immediate = 4;
  w.tick = 2;
  w.microtask = 2;
  w.io = 3;
  w.busy = 1;
  w.throw_ = rng.chance(15) ? 1 : 0;
  w.state = 8;
  Program p(loop, rng, w);
  p.close_spawns = rng.chance(70);
  p.max_made = rng.between(10, 50);
  Extra extra{loop, rng, p, {}, {}};
  p.on_state = [&](const std::string& where) { extra.act(where); };
  listen_uncaught(loop);
  p.task_throw_ok = true;
  log("main");
  p.spawn(0);
  if (rng.chance(60)) extra.refd_handle();
  p.spawn(0);
  p.throw_pending = false;
  guarded([&] {
    const bool r = loop.run();
    log("run -> " + std::to_string(r) + " @" + std::to_string(clock_now()));
  });
  for (auto& [n, weak] : extra.dropped) log(n + " released=" + std::to_string(weak.expired()));
  for (auto& [n, h] : extra.handles) {
    extra.state(n, *h);
    if (!h->is_closing()) h->close();  // (stuck cases)
  }
  log("end @" + std::to_string(clock_now()));
}

void one_case(Rng& rng) { programs(rng, kPrograms, one_program); }

}  // namespace

KATA_PROBE(one_case);
