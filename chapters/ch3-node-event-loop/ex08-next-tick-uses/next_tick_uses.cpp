// Exercise 8 — what process.nextTick is for, and what it is not.
#include "next_tick_uses.hpp"

#include <memory>

#include "kata/todo.hpp"

namespace kata::node::uses {

void async_fake(Loop& loop, const std::string& data, ResultCallback cb) {
  (void)loop, (void)data, (void)cb;
  KATA_TODO("async_fake: call cb(data == \"foo\") right now — the seed's bad example (hint 1)");
}

void async_real(Loop& loop, const std::string& data, ResultCallback cb) {
  (void)loop, (void)data, (void)cb;
  KATA_TODO("async_real: call cb(data == \"foo\") from loop.next_tick (hint 1)");
}

// Given: the seed's bug — emitting before anyone could subscribe.
NaiveStreamLibrary::NaiveStreamLibrary(Loop& loop, const std::string& resource) {
  (void)loop, (void)resource;
  emit("start");  // nobody is listening yet
}

StreamLibrary::StreamLibrary(Loop& loop, const std::string& resource) {
  (void)loop, (void)resource;
  KATA_TODO("StreamLibrary: emit(\"start\") from a next_tick, so listeners added after the constructor hear it (hint 2)");
}

void compute_with_next_tick(Loop& loop, int steps, std::function<void(int)> step, Callback done) {
  (void)loop, (void)steps, (void)step, (void)done;
  KATA_TODO("compute_with_next_tick: run step(0..steps-1), each piece scheduling the next with next_tick; then done() (hint 3)");
}

void compute_with_immediate(Loop& loop, int steps, std::function<void(int)> step, Callback done) {
  (void)loop, (void)steps, (void)step, (void)done;
  KATA_TODO("compute_with_immediate: the same with set_immediate: one piece per loop iteration (hint 4)");
}

}  // namespace kata::node::uses
