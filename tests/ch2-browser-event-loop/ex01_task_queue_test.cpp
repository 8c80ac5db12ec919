// Chapter 2, exercise 1 — the task queue (任务队列), first in, first out.
// Orders are checked against node: in node, each setTimeout(fn, 0) puts a
// task in a queue that runs first-in, first-out, like a browser's.
#include "task_queue.hpp"

#include <stdexcept>
#include <string>

#include "kata/console.hpp"
#include "kata/testing.hpp"

using kata::browser::TaskQueue;
using kata::testing::Lines;
namespace console = kata::console;

namespace {
void watch(const TaskQueue& q) {
  kata::testing::describe_pending([&q] { return "task queue: " + std::to_string(q.size()) + " tasks waiting"; });
}
}  // namespace

TEST(TaskQueue, RunsTheOldestTaskFirst) {
  TaskQueue q;
  watch(q);
  q.enqueue([] { console::log("a"); });
  q.enqueue([] { console::log("b"); });
  q.enqueue([] { console::log("c"); });
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.run_all(), 3u);
  const Lines expected{"a", "b", "c"};
  EXPECT_TRACE(expected);
  EXPECT_TRUE(q.empty());
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/task_queue_fifo.js", expected);
}

TEST(TaskQueue, TasksQueuedByATaskGoToTheBack) {
  TaskQueue q;
  watch(q);
  q.enqueue([&q] {
    console::log("a");
    q.enqueue([] { console::log("c (queued by a)"); });
  });
  q.enqueue([] { console::log("b"); });
  EXPECT_EQ(q.run_all(), 3u) << "run_all also runs the tasks queued while it runs";
  const Lines expected{"a", "b", "c (queued by a)"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/task_queue_back.js", expected);
}

TEST(TaskQueue, SeedSnippet) {
  // The script is the first task; setTimeout queues another behind it.
  TaskQueue q;
  watch(q);
  q.enqueue([&q] {
    q.enqueue([] { console::log("setTimeout"); });
    console::log("main1");
    console::log("main2");
  });
  q.run_all();
  const Lines expected{"main1", "main2", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/task_queue_seed.js", expected);
}

TEST(TaskQueue, RunOldestRunsExactlyOneTask) {
  TaskQueue q;
  watch(q);
  q.enqueue([] { console::log("a"); });
  q.enqueue([] { console::log("b"); });
  EXPECT_TRUE(q.run_oldest());
  EXPECT_TRACE({"a"});
  EXPECT_EQ(q.size(), 1u);
  EXPECT_TRUE(q.run_oldest());
  EXPECT_FALSE(q.run_oldest()) << "an empty queue runs nothing and says so";
  EXPECT_TRACE({"a", "b"});
  EXPECT_EQ(q.run_all(), 0u);
}

TEST(TaskQueue, ATaskIsOutOfTheQueueWhileItRuns) {
  // A running task is no longer waiting: it sees only the tasks behind it.
  TaskQueue q;
  watch(q);
  q.enqueue([&q] { console::log("a sees " + std::to_string(q.size()) + " waiting"); });
  q.enqueue([&q] { console::log("b sees " + std::to_string(q.size()) + " waiting"); });
  q.run_all();
  EXPECT_TRACE({"a sees 1 waiting", "b sees 0 waiting"});
}

TEST(TaskQueue, ATaskThatThrowsIsNotRunAgain) {
  // The exception reaches the caller (a browser would report it and go on);
  // the task that threw is gone, the others still wait.
  TaskQueue q;
  watch(q);
  q.enqueue([] {
    console::log("boom");
    throw std::runtime_error("boom");
  });
  q.enqueue([] { console::log("b"); });
  EXPECT_THROW(q.run_oldest(), std::runtime_error);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.run_all(), 1u);
  EXPECT_TRACE({"boom", "b"});
}

TEST(TaskQueue, ManyTasksQueuedByTasks) {
  // 100 tasks, each queuing the next: a task queued by a task waits behind
  // everything already queued, so `other` runs right after the first step.
  TaskQueue q;
  watch(q);
  int ran = 0;
  std::function<void()> step = [&] {
    if (++ran < 100) q.enqueue(step);
  };
  q.enqueue(step);
  q.enqueue([&] { console::log("other ran after task " + std::to_string(ran)); });
  EXPECT_EQ(q.run_all(), 101u);
  EXPECT_EQ(ran, 100);
  const Lines expected{"other ran after task 1"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/task_queue_chain.js", expected);
}
