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

#include "callback_queue.hpp"  // support/: CallbackQueue, a FIFO of callbacks

namespace kata::node {

class Loop;
using Callback = std::function<void()>;

class TaskQueues {
 public:
  // The two queues are the loop's (loop.hpp: it asks whether they are empty
  // after every callback); TaskQueues fills and drains them.
  TaskQueues(CallbackQueue& ticks, CallbackQueue& microtasks) : ticks_(ticks), microtasks_(microtasks) {}
  TaskQueues(const TaskQueues&) = delete;
  TaskQueues& operator=(const TaskQueues&) = delete;

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
  CallbackQueue& ticks_;
  CallbackQueue& microtasks_;
};

}  // namespace kata::node
