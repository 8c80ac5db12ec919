// Hidden check of ch2.ex06 (kata/probe.hpp): random async functions. One
// interpreter coroutine draws its body from the Rng as it runs: awaits of
// fulfilled, rejected (caught or not) and timer-settled promises, of then()
// chains, of Promise<void>, of nested async calls; a synchronous throw; and
// it ends with co_return of a value or of a promise (fulfilled, rejected or
// pending: +2 ticks). The script calls a few of them beside a then-chain that
// logs "tick N", and hangs then/catch on their promises. Logged: the order of
// everything, what each await gives back, how each async function settles,
// and that a call returns to its caller at its first await (rules 1–5).
//
//     ./build/learner/ch2_ex06 --kata-probe --seed 7 --cases 3
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "async.hpp"
#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "promise.hpp"
#include "timers.hpp"

namespace {

using kata::browser::Async;
using kata::browser::Promise;
using kata::browser::Window;
using kata::probe::Rng;

struct ProbeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string show_reason(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const ProbeError& err) {
    return err.what();
  } catch (...) {
    return "another error";
  }
}

std::string at() { return "@" + std::to_string(kata::virtual_clock().now_ms()); }

struct Ctx {
  Window& w;
  Rng& rng;
  int made = 0;
  int calls = 0;  // async functions called so far
  std::vector<std::pair<std::string, Promise<int>>> shared;  // promises several functions may await

  Ctx(Window& window, Rng& r) : w(window), rng(r) {}
  std::string fresh(const char* prefix) { return prefix + std::to_string(made++); }

  // A promise settled by a timer (fulfilled or rejected) after `ms`.
  Promise<int> timer_promise(const std::string& name, std::int64_t ms) {
    const bool fulfil = rng.chance(70);
    const int v = rng.between(0, 99);
    const std::string e = fresh("e");
    return Promise<int>([&](auto resolve, auto reject) {
      w.set_timeout([this, name, fulfil, v, e, resolve, reject] {
        kata::console::log("timer settles " + name + at());
        if (fulfil) resolve(v);
        else reject(std::make_exception_ptr(ProbeError(e)));
      }, ms);
    });
  }
};

Async<> void_fn(Ctx* c, std::string name) {
  kata::console::log(name + " starts (void)");
  co_await Promise<>::resolve();
  kata::console::log(name + " resumes");
  if (c->rng.chance(30)) throw ProbeError(c->fresh("e"));
}

Async<int> async_fn(Ctx* c, std::string name, int depth) {
  Rng& rng = c->rng;
  kata::console::log(name + " starts");
  int acc = 0;
  const int steps = rng.between(0, 4);
  for (int s = 0; s < steps; ++s) {
    const int what = rng.below(100);
    if (what < 15) {
      const int v = rng.between(0, 99);
      kata::console::log(name + " awaits fulfilled " + std::to_string(v));
      acc += co_await Promise<int>::resolve(v);
      kata::console::log(name + " got it, acc " + std::to_string(acc));
    } else if (what < 27) {
      const std::string e = c->fresh("e");
      const bool caught = rng.chance(70);
      kata::console::log(name + " awaits rejected " + e + (caught ? " in try" : ""));
      if (caught) {
        try {
          co_await Promise<int>::reject(std::make_exception_ptr(ProbeError(e)));
          kata::console::log(name + " was not thrown into");
        } catch (const ProbeError& err) {
          kata::console::log(name + " caught " + err.what());
        }
      } else {
        co_await Promise<int>::reject(std::make_exception_ptr(ProbeError(e)));
        kata::console::log(name + " was not thrown into");
      }
    } else if (what < 42) {
      const std::int64_t ms = rng.pick<std::int64_t>({0, 0, 1, 4, 10});
      const std::string p = c->fresh("p");
      kata::console::log(name + " awaits " + p + ", settled by a timer in " + std::to_string(ms) + "ms");
      Promise<int> awaited = c->timer_promise(p, ms);
      try {
        const int v = co_await awaited;
        acc += v;
        kata::console::log(name + " got " + std::to_string(v) + " from " + p + at());
      } catch (const ProbeError& err) {
        kata::console::log(name + " caught " + err.what() + " from " + p + at());
      }
    } else if (what < 52) {
      const int v = rng.between(0, 9);
      const int chain = rng.between(1, 3);
      kata::console::log(name + " awaits a chain of " + std::to_string(chain) + " thens");
      Promise<int> p = Promise<int>::resolve(v);
      for (int i = 0; i < chain; ++i) p = p.then([](int x) { return x * 2 + 1; });
      acc += co_await p;
      kata::console::log(name + " got the chain, acc " + std::to_string(acc));
    } else if (what < 60) {
      kata::console::log(name + " awaits Promise<void>");
      co_await Promise<>::resolve();
      kata::console::log(name + " resumed after Promise<void>");
    } else if (what < 75 && depth < 2 && c->calls < 12) {
      const std::string child = c->fresh("f");
      ++c->calls;
      const bool caught = rng.chance(70);
      kata::console::log(name + " calls " + child + (caught ? " in try" : ""));
      if (caught) {
        try {
          const int v = co_await async_fn(c, child, depth + 1);
          acc += v;
          kata::console::log(name + " got " + std::to_string(v) + " from " + child);
        } catch (const ProbeError& err) {
          kata::console::log(name + " caught " + err.what() + " from " + child);
        }
      } else {
        acc += co_await async_fn(c, child, depth + 1);
        kata::console::log(name + " got " + child + "'s value, acc " + std::to_string(acc));
      }
    } else if (what < 82 && c->calls < 12) {
      const std::string child = c->fresh("v");
      ++c->calls;
      kata::console::log(name + " calls " + child);
      try {
        co_await void_fn(c, child);
        kata::console::log(name + " got " + child + " done");
      } catch (const ProbeError& err) {
        kata::console::log(name + " caught " + err.what() + " from " + child);
      }
    } else if (what < 92 && !c->shared.empty()) {
      const auto& [p, promise] = c->shared[std::size_t(rng.below(int(c->shared.size())))];
      kata::console::log(name + " awaits shared " + p);
      const std::string pname = p;
      try {
        acc += co_await promise;
        kata::console::log(name + " got shared " + pname + ", acc " + std::to_string(acc) + at());
      } catch (const ProbeError& err) {
        kata::console::log(name + " caught " + err.what() + " from shared " + pname + at());
      }
    } else if (what < 96) {
      const std::string e = c->fresh("e");
      kata::console::log(name + " throws " + e);
      throw ProbeError(e);
    }
  }
  const int how = rng.below(100);
  if (how < 55) {
    kata::console::log(name + " returns " + std::to_string(acc));
    co_return acc;
  }
  if (how < 72) {
    kata::console::log(name + " returns fulfilled promise " + std::to_string(acc + 1));
    co_return Promise<int>::resolve(acc + 1);
  }
  if (how < 82) {
    const std::string e = c->fresh("e");
    kata::console::log(name + " returns rejected promise " + e);
    co_return Promise<int>::reject(std::make_exception_ptr(ProbeError(e)));
  }
  const std::string p = c->fresh("p");
  const std::int64_t ms = rng.pick<std::int64_t>({0, 2, 6});
  kata::console::log(name + " returns " + p + ", settled by a timer in " + std::to_string(ms) + "ms");
  co_return c->timer_promise(p, ms);
}

void ticker(int n) {
  Promise<int> p = Promise<int>::resolve(0);
  for (int i = 1; i <= n; ++i)
    p = p.then([](int k) {
      kata::console::log("tick " + std::to_string(k + 1));
      return k + 1;
    });
}

void one_case(Rng& rng) {
  Window w;
  Ctx c(w, rng);
  w.run([&] {
    kata::console::log("script start");
    for (int i = rng.below(3); i > 0; --i) {
      const std::string p = c.fresh("s");
      const std::int64_t ms = rng.pick<std::int64_t>({0, 3, 8});
      kata::console::log("shared " + p + ", settled by a timer in " + std::to_string(ms) + "ms");
      c.shared.emplace_back(p, c.timer_promise(p, ms));
    }
    if (rng.chance(80)) ticker(rng.between(4, 12));
    const int n = rng.between(1, 3);
    for (int i = 0; i < n; ++i) {
      const std::string name = c.fresh("f");
      ++c.calls;
      Async<int> call = async_fn(&c, name, 0);
      kata::console::log("script: " + name + "() returned");
      call.then(
          [name](int v) {
            kata::console::log(name + " fulfilled " + std::to_string(v));
            return v;
          },
          [name](std::exception_ptr e) {
            kata::console::log(name + " rejected " + show_reason(e));
            return -1;
          });
    }
    kata::console::log("script end");
  });
  kata::console::log("run returned" + at());
}

}  // namespace

KATA_PROBE(one_case);
