// CallbackQueue: the FIFO of callbacks behind TaskQueues and the loop's
// pending queue. You need not read it: it behaves like a std::deque<Callback>.
// It exists for speed: fixed-size blocks, recycled when emptied, so a million
// queued callbacks are never copied, and an OwningJob queues without a malloc.
#pragma once

#include <cstddef>
#include <functional>
#include <new>
#include <utility>

namespace kata::node {

using Callback = std::function<void()>;

// A queued job that owns something (a reference) without costing a malloc.
// std::function keeps a small, trivially copyable functor in place, but puts
// anything with a destructor on the heap: one malloc + free per job. An
// OwningJob is two pointers, so it stays in place; its ownership is by
// convention: running it releases what it owns (ops->run), and a
// CallbackQueue that drops it unrun (clear(), destruction) calls
// ops->dispose instead. Promise reactions are OwningJobs (promise.cpp).
// Do not copy a queued one and run both copies.
struct OwningJob {
  struct Ops {
    void (*run)(void* ctx);      // runs it and releases ctx
    void (*dispose)(void* ctx);  // releases ctx without running it
  };
  const Ops* ops;
  void* ctx;
  void operator()() const { ops->run(ctx); }
};

// A FIFO of callbacks in fixed-size blocks: pushing a million callbacks
// never copies them (no vector regrowth) and emptied blocks are recycled.
class CallbackQueue {
 public:
  CallbackQueue() = default;
  CallbackQueue(CallbackQueue&& o) noexcept { take(o); }
  CallbackQueue& operator=(CallbackQueue&& o) noexcept {
    if (this != &o) { release(); take(o); }
    return *this;
  }
  ~CallbackQueue() { release(); }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void push(Callback&& cb) {
    if (tail_ == nullptr || tail_i_ == kBlock) [[unlikely]] add_block();
    // The slot is empty: move-construct in place (an assignment would build
    // a temporary and swap).
    Callback* slot = &tail_->items[tail_i_++];
    slot->~Callback();
    ::new (slot) Callback(std::move(cb));
    ++size_;
  }
  // The oldest callback, in place (blocks never move, so the reference stays
  // valid while it runs and pushes more); drop_front() then removes it
  // (also after it threw: it was run).
  Callback& front() { return head_->items[head_i_]; }
  void drop_front() { head_->items[head_i_] = nullptr; advance(); }
  // Takes the oldest callback out: the caller runs it. Precondition: !empty().
  Callback pop() {
    Callback cb = std::move(head_->items[head_i_]);
    head_->items[head_i_] = nullptr;
    advance();
    return cb;
  }
  void clear() {
    while (!empty()) { discard(head_->items[head_i_]); advance(); }
  }

 private:
  void advance() {
    ++head_i_;
    if (--size_ == 0) {
      head_i_ = tail_i_ = 0;  // reuse the block from its start
    } else if (head_i_ == kBlock) {
      Block* old = head_;
      head_ = head_->next;
      head_i_ = 0;
      recycle(old);
    }
  }
  static constexpr std::size_t kBlock = 1024;
  struct Block {
    Callback items[kBlock];
    Block* next = nullptr;
  };
  void add_block() {
    Block* b = spare_;
    if (b != nullptr) { spare_ = b->next; --spares_; b->next = nullptr; } else { b = new Block; }
    if (tail_ != nullptr) tail_->next = b; else head_ = b;
    tail_ = b;
    tail_i_ = 0;
  }
  void recycle(Block* b) {
    if (spares_ >= 8) { delete b; return; }
    b->next = spare_;
    spare_ = b;
    ++spares_;
  }
  // A callback dropped without running: an OwningJob releases what it owns.
  static void discard(Callback& cb) {
    if (const OwningJob* job = cb.target<OwningJob>()) job->ops->dispose(job->ctx);
    cb = nullptr;
  }
  void release() {
    clear();
    for (Block* b = head_; b != nullptr;) { Block* n = b->next; delete b; b = n; }
    for (Block* b = spare_; b != nullptr;) { Block* n = b->next; delete b; b = n; }
    head_ = tail_ = spare_ = nullptr;
    head_i_ = tail_i_ = size_ = spares_ = 0;
  }
  void take(CallbackQueue& o) {
    head_ = o.head_; tail_ = o.tail_; spare_ = o.spare_;
    head_i_ = o.head_i_; tail_i_ = o.tail_i_; size_ = o.size_; spares_ = o.spares_;
    o.head_ = o.tail_ = o.spare_ = nullptr;
    o.head_i_ = o.tail_i_ = o.size_ = o.spares_ = 0;
  }
  Block* head_ = nullptr;
  Block* tail_ = nullptr;
  Block* spare_ = nullptr;
  std::size_t head_i_ = 0, tail_i_ = 0, size_ = 0, spares_ = 0;
};

}  // namespace kata::node
