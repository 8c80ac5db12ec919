#include "task_queue.hpp"

#include <utility>

#include "kata/todo.hpp"

namespace kata::browser {

void TaskQueue::enqueue(Task task) {
  (void)task;
  KATA_TODO("push the task at the back of tasks_ (hint 1)");
}

bool TaskQueue::run_oldest() {
  KATA_TODO("false when empty; else move the front task out, pop_front(), *then* call it (hint 2)");
}

std::size_t TaskQueue::run_all() {
  KATA_TODO("call run_oldest() until it returns false; count the tasks that ran (hint 3)");
}

std::size_t TaskQueue::size() const {
  KATA_TODO("how many tasks are waiting?");
}

}  // namespace kata::browser
