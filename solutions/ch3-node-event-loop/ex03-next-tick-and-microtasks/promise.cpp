// Promise on top of the loop's microtask queue (given, not an exercise).
#include "promise.hpp"

#include "loop.hpp"

namespace kata::node {

namespace {
// Recycled states (the loop is single-threaded; one pool per thread).
thread_local std::vector<void*> g_free_states;
}  // namespace

Promise::State* Promise::make(Loop& loop, bool settled) {
  State* s;
  if (!g_free_states.empty()) {
    s = static_cast<State*>(g_free_states.back());
    g_free_states.pop_back();
  } else {
    s = new State;
  }
  s->loop = &loop;
  s->refs = 0;
  s->settled = settled;
  return s;
}

void Promise::drop(State* s) {
  if (--s->refs > 0) return;
  s->handler = nullptr;
  s->waiting.clear();
  if (g_free_states.size() < 4096) g_free_states.push_back(s); else delete s;
}

Promise Promise::resolve(Loop& loop) { return Promise(make(loop, true)); }

Promise Promise::pending(Loop& loop) { return Promise(make(loop, false)); }

void Promise::queue_reaction(State* child) {
  // V8's PromiseReactionJob: run the handler, then settle the derived
  // promise, which queues its own reactions behind whatever f queued.
  child->loop->queue_microtask([ref = Ref(child)] {
    State* c = ref.s;
    std::function<void()> f = std::move(c->handler);
    c->handler = nullptr;
    if (f) f();
    settle(c);
  });
}

Promise Promise::then(std::function<void()> on_fulfilled) const {
  State* child = make(*s_->loop, false);
  child->handler = std::move(on_fulfilled);
  Promise next(child);
  if (s_->settled) {
    queue_reaction(child);
  } else {
    ++child->refs;  // held by s_->waiting until queued
    s_->waiting.push_back(child);
  }
  return next;
}

void Promise::settle(State* s) {
  if (s->settled) return;
  s->settled = true;
  std::vector<State*> waiting;
  waiting.swap(s->waiting);
  for (State* child : waiting) {
    queue_reaction(child);
    drop(child);  // the queued job holds its own reference now
  }
}

}  // namespace kata::node
