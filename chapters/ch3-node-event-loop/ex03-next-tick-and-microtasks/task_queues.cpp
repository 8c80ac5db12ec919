// Exercise 3 — process.nextTick and the microtask queue.
#include "task_queues.hpp"

#include "kata/todo.hpp"
#include "loop.hpp"

namespace kata::node {

void TaskQueues::next_tick(Callback&& cb) {
  (void)cb;
  KATA_TODO("next_tick: queue cb on the nextTick queue (hint 1)");
}

void TaskQueues::queue_microtask(Callback&& cb) {
  (void)cb;
  KATA_TODO("queue_microtask: queue cb on the microtask queue (hint 1)");
}

void TaskQueues::run_microtasks(Loop& loop) {
  (void)loop;
  KATA_TODO("run_microtasks: run microtasks until the queue is empty, including those queued meanwhile; exceptions go to loop.report_uncaught (hint 2)");
}

void TaskQueues::process_ticks_and_rejections(Loop& loop) {
  (void)loop;
  KATA_TODO("process_ticks_and_rejections: all ticks, then all microtasks, again while ticks appeared (hint 3)");
}

}  // namespace kata::node
