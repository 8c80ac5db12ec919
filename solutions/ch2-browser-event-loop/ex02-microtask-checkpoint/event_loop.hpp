// kata::browser::EventLoop — the HTML event loop's processing model, the
// part the seed calls 宏任务与微任务:
//
//   1. take the oldest task from the task queue and run it   (宏任务)
//   2. perform a microtask checkpoint: run microtasks until the
//      microtask queue is empty, including ones queued meanwhile (微任务)
//   3. (rendering — not modelled) and repeat
//
// "每轮事件循环执行一个宏任务和所有的微任务。"
// The task queue is chapter 2 exercise 1's TaskQueue (reference code).
#pragma once

#include <cstddef>
#include <deque>

#include "task_queue.hpp"

namespace kata::browser {

class EventLoop {
 public:
  // The newest living EventLoop is the "current" one: kata::browser::
  // queue_microtask() and Promise use it (as JavaScript uses its agent's).
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  static EventLoop* current();

  // Queues a task (a macrotask: a timer's callback, an event, a message...).
  void queue_task(Task task) { tasks_.enqueue(std::move(task)); }
  // queueMicrotask(fn): runs at the next microtask checkpoint.
  void queue_microtask(Task microtask);

  // Runs microtasks, oldest first, until the microtask queue is empty —
  // including microtasks queued by them. Does nothing when called while a
  // checkpoint is already running (HTML: "If the event loop's performing a
  // microtask checkpoint is true, then return.").
  void perform_microtask_checkpoint();

  // One iteration: run the oldest task, then a microtask checkpoint.
  // Returns false (and does nothing) when no task is waiting.
  bool run_one_task();
  // The script is the first task: queue it, then iterate until no task is left.
  void run(Task script);

  std::size_t pending_tasks() const { return tasks_.size(); }
  std::size_t pending_microtasks() const { return microtasks_.size(); }

 private:
  TaskQueue tasks_;
  std::deque<Task> microtasks_;
  bool performing_microtask_checkpoint_ = false;
  EventLoop* previous_ = nullptr;  // the loop that was current before this one
};

// queueMicrotask(fn) on the current event loop.
void queue_microtask(Task microtask);

}  // namespace kata::browser
