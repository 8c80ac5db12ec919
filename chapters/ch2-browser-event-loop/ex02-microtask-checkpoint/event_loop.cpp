#include "event_loop.hpp"

#include <utility>

#include "kata/todo.hpp"

namespace kata::browser {

void EventLoop::queue_microtask(Task microtask) {
  (void)microtask;
  KATA_TODO("push the microtask at the back of microtasks_ (hint 1)");
}

void EventLoop::perform_microtask_checkpoint() {
  KATA_TODO("return at once if a checkpoint is already running; else set the flag, pop-and-run microtasks "
            "while the queue is not empty, clear the flag (hints 2 and 3)");
}

bool EventLoop::run_one_task() {
  KATA_TODO("run the oldest task (tasks_.run_oldest()), then a microtask checkpoint; false when no task (hint 4)");
}

void EventLoop::run(Task script) {
  (void)script;
  KATA_TODO("queue the script as the first task, then run_one_task() until it returns false (hint 4)");
}

}  // namespace kata::browser
