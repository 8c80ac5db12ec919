// Promise on top of the loop's microtask queue (given, not an exercise).
#include "promise.hpp"

#include <cstddef>
#include <new>

#include "loop.hpp"

namespace kata::node {

namespace {

// Where states live: slabs of kPerSlab slots, each slab with its own free
// list. A then() costs no malloc in the steady state (a million reactions
// queued at once cost a thousand), and a slab whose states have all been
// dropped goes back to the allocator, so a burst does not pin its memory.
// Single-threaded like the loop: one pool per thread.
template <std::size_t Size, std::size_t Align>
class SlabPool {
 public:
  SlabPool() = default;
  SlabPool(const SlabPool&) = delete;
  SlabPool& operator=(const SlabPool&) = delete;
  ~SlabPool() {
    // Slabs with live states (promises kept past the thread's end) stay.
    while (Slab* s = open_) {
      unlink(s);
      if (s->used == 0) delete s;
    }
  }

  void* allocate() {
    Slab* s = open_;
    if (s == nullptr) {
      s = new Slab;
      link(s);
    }
    Slot* slot;
    if (s->free != nullptr) {
      slot = s->free;
      s->free = slot->next;
    } else {
      slot = &s->slots[s->carved++];  // never used before
      slot->owner = s;
    }
    if (++s->used == kPerSlab) unlink(s);  // full: not a place to allocate
    return slot->bytes;
  }

  void release(void* p) {
    auto* slot = reinterpret_cast<Slot*>(static_cast<unsigned char*>(p) - offsetof(Slot, bytes));
    Slab* s = slot->owner;
    if (s->used == kPerSlab) link(s);  // was full, has room again
    slot->next = s->free;
    s->free = slot;
    // An empty slab is returned, unless it is the one we allocate from
    // (no malloc/free ping-pong at a slab boundary).
    if (--s->used == 0 && s != open_) {
      unlink(s);
      delete s;
    }
  }

 private:
  static constexpr std::size_t kPerSlab = 1024;
  struct Slab;
  struct Slot {
    Slab* owner;
    union {
      Slot* next;  // while free
      alignas(Align) unsigned char bytes[Size];
    };
  };
  struct Slab {
    Slot slots[kPerSlab];
    Slot* free = nullptr;
    std::size_t used = 0;    // slots handed out and not returned
    std::size_t carved = 0;  // slots ever handed out
    Slab* prev = nullptr;    // in the list of slabs with room
    Slab* next = nullptr;
    bool linked = false;
  };
  void link(Slab* s) {
    s->prev = nullptr;
    s->next = open_;
    if (open_ != nullptr) open_->prev = s;
    open_ = s;
    s->linked = true;
  }
  void unlink(Slab* s) {
    if (!s->linked) return;
    if (s->prev != nullptr) s->prev->next = s->next; else open_ = s->next;
    if (s->next != nullptr) s->next->prev = s->prev;
    s->prev = s->next = nullptr;
    s->linked = false;
  }
  Slab* open_ = nullptr;  // slabs with room, most recently opened first
};

// The pool for T (Promise::State): named from Promise's members, which may.
template <class T>
SlabPool<sizeof(T), alignof(T)>& pool_of() {
  thread_local SlabPool<sizeof(T), alignof(T)> pool;
  return pool;
}

}  // namespace

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
