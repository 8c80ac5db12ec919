// kata::browser::TaskQueue — the HTML event loop's task queue (任务队列).
//
// "An event loop has one or more task queues. A task queue is a set of
// tasks." Each iteration of the loop takes the *oldest* runnable task and
// runs it to completion. Tasks queued while a task runs go to the back: the
// seed's 任务队列一定会保持先进先出的顺序执行.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>

namespace kata::browser {

using Task = std::function<void()>;

class TaskQueue {
 public:
  // Adds a task at the back of the queue.
  void enqueue(Task task);
  // Removes the oldest task and runs it. Returns false (and runs nothing)
  // when the queue is empty. The task is out of the queue before it runs,
  // so it may enqueue more tasks, and a task that throws is not run again.
  bool run_oldest();
  // Runs tasks, oldest first, until the queue is empty — including tasks
  // queued by the tasks it runs. Returns how many ran.
  std::size_t run_all();

  std::size_t size() const;
  bool empty() const { return size() == 0; }

 private:
  std::deque<Task> tasks_;
};

}  // namespace kata::browser
