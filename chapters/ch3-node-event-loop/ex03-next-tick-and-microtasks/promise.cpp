// Promise on top of the loop's microtask queue (given, not an exercise).
#include "promise.hpp"

#include <new>

#include "loop.hpp"
#include "slab_pool.hpp"  // support/: pool_of<State>(), where states live

namespace kata::node {

Promise::State* Promise::make(Loop& loop, bool settled, std::function<void()>&& handler) {
  State* s = new (pool_of<State>().allocate()) State{&loop, 0, settled, std::move(handler)};
  return s;
}

void Promise::drop(State* s) {
  if (--s->refs > 0) return;
  // A state never resolved also releases the reactions waiting on it (they
  // will never run): a worklist through next_waiting, not recursion, since
  // chains can be long. (A state in a waiting list is referenced by it, so
  // at zero references its next_waiting is free to use.)
  s->next_waiting = nullptr;
  while (s != nullptr) {
    State* dead = s;
    s = dead->next_waiting;
    for (State* c = dead->waiting_head; c != nullptr;) {
      State* next = c->next_waiting;
      if (--c->refs == 0) {
        c->next_waiting = s;
        s = c;
      }
      c = next;
    }
    dead->~State();
    pool_of<State>().release(dead);
  }
}

Promise Promise::resolve(Loop& loop) { return Promise(make(loop, true, nullptr)); }

Promise Promise::pending(Loop& loop) { return Promise(make(loop, false, nullptr)); }

// V8's PromiseReactionJob: run the handler, then settle the derived promise,
// which queues its own reactions behind whatever the handler queued.
void Promise::run_reaction(void* p) {
  State* c = static_cast<State*>(p);
  struct Release {  // the job's reference, also when the handler throws
    State* c;
    ~Release() {
      // Still referenced: free what the handler captured now, as a
      // one-shot reaction would.
      if (c->refs > 1) c->handler = nullptr;
      drop(c);
    }
  } release{c};
  if (c->handler) c->handler();
  settle(c);
}

void Promise::dispose_reaction(void* p) { drop(static_cast<State*>(p)); }

void Promise::queue_reaction(State* child) {
  static constexpr OwningJob::Ops kReaction{&Promise::run_reaction, &Promise::dispose_reaction};
  child->loop->queue_microtask(OwningJob{&kReaction, child});
}

Promise Promise::then(std::function<void()> on_fulfilled) const {
  State* child = make(*s_->loop, false, std::move(on_fulfilled));
  Promise next(child);
  ++child->refs;  // held by the queued job, or by s_'s waiting list until then
  if (s_->settled) {
    queue_reaction(child);
  } else if (s_->waiting_tail == nullptr) {
    s_->waiting_head = s_->waiting_tail = child;
  } else {
    s_->waiting_tail->next_waiting = child;
    s_->waiting_tail = child;
  }
  return next;
}

void Promise::settle(State* s) {
  if (s->settled) return;
  s->settled = true;
  State* child = s->waiting_head;
  s->waiting_head = s->waiting_tail = nullptr;
  while (child != nullptr) {
    State* next = child->next_waiting;
    child->next_waiting = nullptr;
    queue_reaction(child);  // the waiting list's reference goes to the job
    child = next;
  }
}

}  // namespace kata::node
