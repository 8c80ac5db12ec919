// kata::node::TaskQueues — process.nextTick's queue and the microtask queue
// (lib/internal/process/task_queues.js, V8's microtask queue).
//
// Neither is a phase of the loop. Node drains them after *every* macrotask
// callback (each timer, each immediate, each I/O callback, the main script):
// the whole nextTick queue, then the whole microtask queue, again while
// either has work (processTicksAndRejections). Node ≤ 10 did it only between
// phases — the loop's TickMode::Legacy shows that older behaviour.
#pragma once

#include <cstddef>
#include <functional>
#include <new>
#include <vector>

namespace kata::node {

class Loop;
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

class TaskQueues {
 public:
  // process.nextTick(cb). (Callbacks are taken as rvalues: the loop hands
  // its caller's callback on without another copy of it on the way.)
  void next_tick(Callback&& cb);
  // queueMicrotask(cb); promise reactions (Promise::then) go here too.
  void queue_microtask(Callback&& cb);
  // processTicksAndRejections: drain ticks, then microtasks, repeat while
  // either has work. An exception escaping one goes to loop.report_uncaught().
  void process_ticks_and_rejections(Loop& loop);

  bool has_work() const { return !ticks_.empty() || !microtasks_.empty(); }
  std::size_t ticks() const { return ticks_.size(); }
  std::size_t microtasks() const { return microtasks_.size(); }
  void clear() { ticks_.clear(); microtasks_.clear(); }

 private:
  void run_microtasks(Loop& loop);
  CallbackQueue ticks_;
  CallbackQueue microtasks_;
};

}  // namespace kata::node
