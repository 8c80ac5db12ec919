#include "task_queue.hpp"

#include <utility>

namespace kata::browser {

void TaskQueue::enqueue(Task task) { tasks_.push_back(std::move(task)); }

bool TaskQueue::run_oldest() {
  if (tasks_.empty()) return false;
  // Move it out first: the task may enqueue (a deque's push_back invalidates
  // references into it), and one that throws must not stay at the front.
  Task task = std::move(tasks_.front());
  tasks_.pop_front();
  task();
  return true;
}

std::size_t TaskQueue::run_all() {
  std::size_t ran = 0;
  while (run_oldest()) ++ran;
  return ran;
}

std::size_t TaskQueue::size() const { return tasks_.size(); }

}  // namespace kata::browser
