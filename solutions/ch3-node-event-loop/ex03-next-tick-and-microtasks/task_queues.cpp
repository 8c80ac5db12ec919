// Exercise 3 — process.nextTick and the microtask queue.
#include "task_queues.hpp"

#include "kata/todo.hpp"
#include "loop.hpp"

namespace kata::node {

void TaskQueues::next_tick(Callback&& cb) { ticks_.push(std::move(cb)); }

void TaskQueues::queue_microtask(Callback&& cb) { microtasks_.push(std::move(cb)); }

void TaskQueues::run_microtasks(Loop& loop) {
  // V8's MicrotasksScope: until the queue is empty, including the microtasks
  // queued by microtasks (that is how a promise chain runs to its end).
  while (!microtasks_.empty()) {
    // Run it where it lies (no move), then drop it — also when it threw.
    try {
      microtasks_.front()();
    } catch (const kata::NotDoneYet&) {
      microtasks_.drop_front();
      throw;
    } catch (...) {
      microtasks_.drop_front();
      loop.report_uncaught(std::current_exception());
      if (loop.exiting()) return;
      continue;
    }
    microtasks_.drop_front();
    if (loop.exiting()) return;
  }
}

void TaskQueues::process_ticks_and_rejections(Loop& loop) {
  // lib/internal/process/task_queues.js:
  //   do { while (tock = queue.shift()) run(tock); runMicrotasks(); }
  //   while (!queue.isEmpty() || processPromiseRejections());
  // So a nextTick queued by a microtask waits until the microtasks are done.
  do {
    while (!ticks_.empty()) {
      try {
        ticks_.front()();
      } catch (const kata::NotDoneYet&) {
        ticks_.drop_front();
        throw;
      } catch (...) {
        ticks_.drop_front();
        loop.report_uncaught(std::current_exception());
        if (loop.exiting()) return;
        continue;
      }
      ticks_.drop_front();
      if (loop.exiting()) return;
    }
    run_microtasks(loop);
    if (loop.exiting()) return;
  } while (!ticks_.empty());
}

}  // namespace kata::node
