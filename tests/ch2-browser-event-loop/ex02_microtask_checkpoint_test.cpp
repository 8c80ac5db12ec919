// Chapter 2, exercise 2 — the microtask checkpoint (宏任务与微任务).
// In these tests queue_task(fn) plays setTimeout(fn, 0) and
// queue_microtask(fn) plays Promise.resolve().then(fn) / queueMicrotask(fn);
// the JavaScript twins in js/checkpoint_*.js use exactly those.
#include "event_loop.hpp"

#include <memory>
#include <string>

#include "kata/console.hpp"
#include "kata/testing.hpp"

using kata::browser::EventLoop;
using kata::testing::Lines;
namespace console = kata::console;

namespace {
void watch(const EventLoop& loop) {
  kata::testing::describe_pending([&loop] {
    return "browser loop: tasks " + std::to_string(loop.pending_tasks()) + ", microtasks " +
           std::to_string(loop.pending_microtasks());
  });
}
}  // namespace

TEST(MicrotaskCheckpoint, SeedSnippet) {
  EventLoop loop;
  watch(loop);
  loop.run([&] {
    loop.queue_task([] { console::log("setTimeout"); });
    loop.queue_microtask([] { console::log("promise"); });
    console::log("main");
  });
  const Lines expected{"main", "promise", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/checkpoint_seed.js", expected);
}

TEST(MicrotaskCheckpoint, MicrotasksQueuedDuringTheCheckpointRunInIt) {
  // 高频面试题 1: "每轮事件循环执行一个宏任务和所有的微任务" — *all*, including
  // the ones queued while the checkpoint runs.
  EventLoop loop;
  watch(loop);
  loop.run([&] {
    loop.queue_task([] { console::log("setTimeout"); });
    loop.queue_microtask([&] {
      console::log("promise");
      loop.queue_microtask([] { console::log("promise2"); });
    });
    console::log("main");
  });
  const Lines expected{"main", "promise", "promise2", "setTimeout"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/checkpoint_interview1.js", expected);
}

TEST(MicrotaskCheckpoint, ACheckpointAfterEveryTask) {
  EventLoop loop;
  watch(loop);
  loop.run([&] {
    loop.queue_task([&] {
      console::log("t1");
      loop.queue_microtask([] { console::log("m1"); });
    });
    loop.queue_task([&] {
      console::log("t2");
      loop.queue_microtask([] { console::log("m2"); });
    });
  });
  const Lines expected{"t1", "m1", "t2", "m2"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/checkpoint_after_every_task.js", expected);
}

TEST(MicrotaskCheckpoint, ATaskQueuedByAMicrotaskWaitsBehindQueuedTasks) {
  EventLoop loop;
  watch(loop);
  loop.run([&] {
    loop.queue_task([] { console::log("A"); });
    loop.queue_microtask([&] { loop.queue_task([] { console::log("B (queued by a microtask)"); }); });
    loop.queue_task([] { console::log("C"); });
    console::log("main");
  });
  const Lines expected{"main", "A", "C", "B (queued by a microtask)"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/checkpoint_task_from_microtask.js", expected);
}

TEST(MicrotaskCheckpoint, MicrotasksCanStarveTasks) {
  // A microtask that keeps queuing microtasks keeps every task waiting.
  EventLoop loop;
  watch(loop);
  struct Again {
    EventLoop* loop;
    std::shared_ptr<int> n;
    void operator()() const {
      if (++*n < 1000) loop->queue_microtask(*this);
      else console::log("microtask " + std::to_string(*n));
    }
  };
  loop.run([&] {
    loop.queue_task([] { console::log("task"); });
    loop.queue_microtask(Again{&loop, std::make_shared<int>(0)});
  });
  const Lines expected{"microtask 1000", "task"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/checkpoint_starve.js", expected);
}

TEST(MicrotaskCheckpoint, RunOneTaskIsOneTaskAndItsMicrotasks) {
  EventLoop loop;
  watch(loop);
  loop.queue_task([&] {
    console::log("a");
    loop.queue_microtask([] { console::log("a's microtask"); });
  });
  loop.queue_task([] { console::log("b"); });
  EXPECT_TRUE(loop.run_one_task());
  EXPECT_TRACE({"a", "a's microtask"});
  EXPECT_EQ(loop.pending_tasks(), 1u);
  EXPECT_EQ(loop.pending_microtasks(), 0u);
  EXPECT_TRUE(loop.run_one_task());
  EXPECT_FALSE(loop.run_one_task()) << "no task left: nothing to do";
}

// No JavaScript twin: script can't call "perform a microtask checkpoint".
// HTML spec, 8.1.7.3 "perform a microtask checkpoint", step 1: "If the event
// loop's performing a microtask checkpoint is true, then return." (It happens
// when a microtask runs script that ends and cleans up: the nested checkpoint
// must not run the later microtasks early, inside the first one.)
TEST(MicrotaskCheckpoint, ACheckpointInsideACheckpointDoesNothing) {
  EventLoop loop;
  watch(loop);
  loop.queue_microtask([&] {
    console::log("m1 start");
    loop.perform_microtask_checkpoint();  // returns at once
    console::log("m1 end");
  });
  loop.queue_microtask([] { console::log("m2"); });
  loop.perform_microtask_checkpoint();
  EXPECT_TRACE({"m1 start", "m1 end", "m2"});
  EXPECT_EQ(loop.pending_microtasks(), 0u);
  // ... and the flag is down again afterwards: a later checkpoint works.
  loop.queue_microtask([] { console::log("m3"); });
  loop.perform_microtask_checkpoint();
  EXPECT_TRACE({"m1 start", "m1 end", "m2", "m3"});
}

TEST(MicrotaskCheckpoint, QueueMicrotaskUsesTheCurrentLoop) {
  // kata::browser::queue_microtask — what Promise (exercise 4) will call.
  EventLoop loop;
  watch(loop);
  ASSERT_EQ(EventLoop::current(), &loop);
  loop.run([] {
    kata::browser::queue_microtask([] { console::log("promise"); });
    console::log("main");
  });
  const Lines expected{"main", "promise"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch2-browser-event-loop/js/checkpoint_queue_microtask.js", expected);
}
