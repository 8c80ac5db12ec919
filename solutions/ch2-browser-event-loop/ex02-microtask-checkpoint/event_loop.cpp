#include "event_loop.hpp"

#include <utility>

namespace kata::browser {

void EventLoop::queue_microtask(Task microtask) { microtasks_.push_back(std::move(microtask)); }

void EventLoop::perform_microtask_checkpoint() {
  // A microtask that (indirectly) asks for a checkpoint must not start a
  // nested drain: the outer one is already going and will reach everything.
  if (performing_microtask_checkpoint_) return;
  performing_microtask_checkpoint_ = true;
  struct Reset {  // also when a microtask throws
    bool& flag;
    ~Reset() { flag = false; }
  } reset{performing_microtask_checkpoint_};
  while (!microtasks_.empty()) {  // re-checked: microtasks may queue microtasks
    Task next = std::move(microtasks_.front());
    microtasks_.pop_front();
    next();
  }
}

bool EventLoop::run_one_task() {
  if (!tasks_.run_oldest()) return false;  // 1. one task (宏任务)
  perform_microtask_checkpoint();          // 2. all the microtasks (微任务)
  return true;
}

void EventLoop::run(Task script) {
  queue_task(std::move(script));
  while (run_one_task()) {
  }
}

}  // namespace kata::browser
