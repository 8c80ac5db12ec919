// SlabPool: where Promise states live (promise.cpp). You need not read it: it
// behaves like `new` / `delete` of one fixed-size object. It exists for speed:
// slabs of 1024 slots with their own free lists, one pool per thread, so a
// then() costs no malloc in the steady state.
#pragma once

#include <cstddef>

namespace kata::node {

// Where objects live: slabs of kPerSlab slots, each slab with its own free
// list. An allocation costs no malloc in the steady state (a million promise
// reactions queued at once cost a thousand), and a slab whose objects have
// all been released goes back to the allocator, so a burst does not pin its
// memory. Single-threaded like the loop: one pool per thread (pool_of).
template <std::size_t Size, std::size_t Align>
class SlabPool {
 public:
  SlabPool() = default;
  SlabPool(const SlabPool&) = delete;
  SlabPool& operator=(const SlabPool&) = delete;
  ~SlabPool() {
    // Slabs with live objects (promises kept past the thread's end) stay.
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

// This thread's pool for objects of type T. Called from where T may be named
// (Promise's members, for its private State).
template <class T>
SlabPool<sizeof(T), alignof(T)>& pool_of() {
  thread_local SlabPool<sizeof(T), alignof(T)> pool;
  return pool;
}

}  // namespace kata::node
