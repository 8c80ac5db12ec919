// Hidden check of ch2.ex04 (kata/probe.hpp): random promise graphs on the
// reference browser loop. Promises are made resolved, rejected, pending (and
// settled later by a timer, a microtask or a handler — sometimes with a second
// resolve/reject that must be ignored), or by an "executor" that calls
// resolve / reject / resolve(another promise) several times; then() hangs
// reactions on them — with or without each handler — whose handlers log what
// they got and return a value, throw, or return another promise (pending or
// settled). A background then-chain logs "tick N" so every extra tick shows.
// Logged: the order of everything, that then() returns before any handler
// runs, and at the end every promise's status and value or reason (rules 1–6).
//
//     ./build/learner/ch2_ex04 --kata-probe --seed 7 --cases 3
#include <any>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "promise_state.hpp"
#include "timers.hpp"

namespace {

using kata::browser::PromisePtr;
using kata::browser::PromiseState;
using kata::browser::Resolution;
using kata::browser::Window;
using kata::probe::Rng;

struct ProbeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string show_value(const std::any& v) {
  if (!v.has_value()) return "undefined";
  if (v.type() == typeid(int)) return std::to_string(std::any_cast<int>(v));
  return "?";
}

std::string show_reason(std::exception_ptr e) {
  if (!e) return "null";
  try {
    std::rethrow_exception(e);
  } catch (const ProbeError& err) {
    return err.what();
  } catch (...) {
    return "another error";
  }
}

struct Named {
  std::string name;
  PromisePtr p;
};

struct Program {
  Window& w;
  Rng& rng;
  std::vector<Named> pool;
  int made = 0;   // promises, handlers, errors named so far
  int calls = 0;  // handler calls so far

  Program(Window& window, Rng& r) : w(window), rng(r) {}

  std::string fresh(const char* prefix) { return prefix + std::to_string(made++); }
  std::exception_ptr error() { return std::make_exception_ptr(ProbeError(fresh("e"))); }

  // Any promise of the pool but `not_this` (following yourself is a cycle).
  const Named* pick(const PromiseState* not_this = nullptr) {
    std::vector<const Named*> ok;
    for (const Named& n : pool)
      if (n.p.get() != not_this) ok.push_back(&n);
    if (ok.empty()) return nullptr;
    return ok[std::size_t(rng.below(int(ok.size())))];
  }

  std::string status(const PromisePtr& p) {
    switch (p->status()) {
      case PromiseState::Status::pending: return "pending";
      case PromiseState::Status::fulfilled: return "fulfilled " + show_value(p->value());
      case PromiseState::Status::rejected: return "rejected " + show_reason(p->reason());
    }
    return "?";
  }

  // One executor-like call: resolve with a value or a promise, or reject.
  void settle_once(const std::string& indent, Named target) {
    const int what = rng.below(100);
    if (what < 45) {
      const int v = rng.between(0, 99);
      target.p->resolve(Resolution{std::any(v), nullptr});
      kata::console::log(indent + "resolve " + target.name + " with " + std::to_string(v));
    } else if (what < 65) {
      std::exception_ptr e = error();
      target.p->reject(e);
      kata::console::log(indent + "reject " + target.name + " with " + show_reason(e));
    } else if (const Named* other = pick(target.p.get())) {
      target.p->resolve(Resolution{{}, other->p});
      kata::console::log(indent + "resolve " + target.name + " with promise " + other->name);
    }
  }

  void settle(const std::string& indent, Named target) {
    settle_once(indent, target);
    if (rng.chance(25)) settle_once(indent, target);  // ignored: the first call wins
  }

  // A new promise in the pool, made in one of several ways.
  void make(const std::string& by) {
    if (pool.size() >= 30) return;
    const std::string indent = "  ";
    Named n{fresh("p"), PromiseState::make()};
    const int how = rng.below(100);
    pool.push_back(n);
    if (how < 25) {
      kata::console::log(indent + by + " makes " + n.name);
      const int v = rng.between(0, 99);
      n.p->resolve(Resolution{std::any(v), nullptr});
      kata::console::log(indent + "resolve " + n.name + " with " + std::to_string(v));
    } else if (how < 33) {
      kata::console::log(indent + by + " makes " + n.name);
      std::exception_ptr e = error();
      n.p->reject(e);
      kata::console::log(indent + "reject " + n.name + " with " + show_reason(e));
    } else if (how < 55) {
      kata::console::log(indent + by + " makes " + n.name + " (executor)");
      const int calls_made = rng.between(1, 3);
      for (int i = 0; i < calls_made; ++i) settle_once(indent + "  ", n);
    } else if (how < 70) {
      const std::int64_t ms = rng.pick<std::int64_t>({0, 0, 1, 5, 10, 30});
      kata::console::log(indent + by + " makes " + n.name + ", settled by a timer in " + std::to_string(ms) + "ms");
      w.set_timeout([this, n] {
        kata::console::log("timer of " + n.name + " @" + std::to_string(kata::virtual_clock().now_ms()));
        settle("  ", n);
      }, ms);
    } else if (how < 80) {
      kata::console::log(indent + by + " makes " + n.name + ", settled by a microtask");
      w.queue_microtask([this, n] {
        kata::console::log("microtask settles " + n.name);
        settle("  ", n);
      });
    } else if (how < 83) {
      kata::console::log(indent + by + " makes " + n.name + ", never settled");
    } else if (how < 92 && pool.size() > 1) {
      // Adopts another promise, and is watched at once: its extra ticks show.
      const Named* other = pick(n.p.get());
      kata::console::log(indent + by + " makes " + n.name + " = resolve(" + other->name + ")");
      n.p->resolve(Resolution{{}, other->p});
      react(by, &pool.back());
    } else {
      pool.pop_back();
      react(by);
    }
  }

  // then() on a promise of the pool; the derived promise joins the pool.
  void react(const std::string& by, const Named* on = nullptr) {
    // Often the newest promise: chains, where every tick counts.
    const Named* chosen = on != nullptr ? on : !pool.empty() && rng.chance(40) ? &pool.back() : pick();
    if (chosen == nullptr || pool.size() >= 30) return;
    const Named parent = *chosen;  // a copy: the pool grows below
    const std::string name = fresh("p");
    const std::string parent_name = parent.name;
    const int form = rng.below(100);  // then(f), then(f, r), catch_(r), then() with neither
    const bool has_f = form < 75;
    const bool has_r = form >= 45 && form < 95;
    auto derived_slot = std::make_shared<PromiseState*>(nullptr);
    kata::browser::OnFulfilled f;
    kata::browser::OnRejected r;
    if (has_f) {
      f = [this, name, parent_name, derived_slot](const std::any& v) {
        kata::console::log(name + " handler got " + show_value(v) + " from " + parent_name);
        return outcome(name, *derived_slot, show_value(v) == "undefined" ? 0 : std::any_cast<int>(v));
      };
    }
    if (has_r) {
      r = [this, name, parent_name, derived_slot](std::exception_ptr e) {
        kata::console::log(name + " catches " + show_reason(e) + " from " + parent_name);
        return outcome(name, *derived_slot, 1000);
      };
    }
    PromisePtr derived = parent.p->then(std::move(f), std::move(r));
    *derived_slot = derived.get();
    kata::console::log("  " + by + ": " + name + " = " + parent_name + ".then(" + (has_f ? "f" : "-") + ", " +
                       (has_r ? "r" : "-") + ") returned");
    pool.push_back({name, derived});
    // More reactions on the same promise: they run in registration order.
    if (rng.chance(25)) react(by, &parent);
  }

  // What a handler does: maybe more work, then a value, a throw or a promise.
  Resolution outcome(const std::string& name, PromiseState* self, int got) {
    ++calls;
    if (calls < 80) {
      for (int i = rng.below(3); i > 0; --i) {
        const int what = rng.below(100);
        if (what < 40) react(name);
        else if (what < 70) make(name);
        else if (what < 85) {
          if (const Named* n = pick()) kata::console::log("  " + name + " sees " + n->name + " " + status(n->p));
        } else if (const Named* n = pick(self)) {
          settle("  ", *n);
        }
      }
    }
    const int what = rng.below(100);
    if (what < 50) {
      kata::console::log("  " + name + " returns " + std::to_string(got + 1));
      return Resolution{std::any(got + 1), nullptr};
    }
    if (what < 70) {
      const std::string e = fresh("e");
      kata::console::log("  " + name + " throws " + e);
      throw ProbeError(e);
    }
    if (const Named* n = pick(self)) {
      kata::console::log("  " + name + " returns promise " + n->name);
      return Resolution{{}, n->p};
    }
    kata::console::log("  " + name + " returns nothing");
    return Resolution{};
  }
};

// A chain of `n` reactions that log "tick k": one per microtask tick.
void ticker(int k, int n) {
  PromisePtr p = PromiseState::make();
  p->resolve(Resolution{std::any(0), nullptr});
  for (int i = 1; i <= n; ++i)
    p = p->then([i, k](const std::any&) {
      kata::console::log("tick " + std::to_string(i) + (k > 0 ? "'" : ""));
      return Resolution{};
    }, nullptr);
}

void one_case(Rng& rng) {
  Window w;
  Program prog(w, rng);
  w.run([&] {
    kata::console::log("script");
    if (rng.chance(85)) ticker(0, rng.between(4, 12));
    const int n = rng.between(3, 10);
    for (int i = 0; i < n; ++i) {
      if (prog.pool.empty() || rng.chance(45)) prog.make("script");
      else prog.react("script");
    }
    if (rng.chance(25)) ticker(1, rng.between(2, 6));
    kata::console::log("script ends");
  });
  for (const Named& n : prog.pool) kata::console::log(n.name + ": " + prog.status(n.p));
}

}  // namespace

KATA_PROBE(one_case);
