// kata::node::Promise — just enough of a JavaScript Promise to show where its
// reactions run: `.then(f)` on a settled promise queues f as a microtask;
// on a pending one, f is queued when the promise is resolved. Values are left
// out (a reaction is a void() callback): only the order matters here. An
// exception thrown by f is an uncaught exception (no rejections here).
//
//     Promise::resolve(loop).then([] { log("promise"); });   // Promise.resolve().then(...)
//     auto p = Promise::pending(loop); ...; p.resolve();        // new Promise(r => ...); r()
//
// States are reference-counted by hand and recycled (single-threaded, like
// the loop; support/slab_pool.hpp), and a reaction is queued as an OwningJob
// (support/callback_queue.hpp), so a `then` costs no malloc in the steady state.
#pragma once

#include <functional>

namespace kata::node {

class Loop;

class Promise {
 public:
  // Promise.resolve(): an already-fulfilled promise.
  static Promise resolve(Loop& loop);
  // new Promise(...) whose resolve function is kept for later.
  static Promise pending(Loop& loop);

  Promise(const Promise& o) : s_(o.s_) { ++s_->refs; }
  Promise& operator=(const Promise& o) {
    if (s_ != o.s_) { ++o.s_->refs; drop(s_); s_ = o.s_; }
    return *this;
  }
  ~Promise() { drop(s_); }

  // p.then(f): returns the promise that settles after f has run.
  Promise then(std::function<void()> on_fulfilled) const;
  // Fulfils a pending promise: its reactions are queued as microtasks, in
  // the order then() was called. Resolving twice does nothing.
  void resolve() const { settle(s_); }
  bool settled() const { return s_->settled; }

 private:
  struct State {
    Loop* loop = nullptr;
    int refs = 0;
    bool settled = false;
    std::function<void()> handler;  // this promise's reaction (set by then())
    // Reactions queued on it while pending, in then() order (each holds a
    // reference until it is queued as a microtask).
    State* waiting_head = nullptr;
    State* waiting_tail = nullptr;
    State* next_waiting = nullptr;  // in its parent's waiting list
  };
  explicit Promise(State* s) : s_(s) { ++s_->refs; }
  static State* make(Loop& loop, bool settled, std::function<void()>&& handler);
  static void drop(State* s);
  static void settle(State* s);
  static void queue_reaction(State* child);  // takes over one reference
  static void run_reaction(void* child);     // the microtask (an OwningJob)
  static void dispose_reaction(void* child);

  State* s_;
};

}  // namespace kata::node
