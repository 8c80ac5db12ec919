// Exercise 8 — what process.nextTick is for, and what it is not.
#include "next_tick_uses.hpp"

#include <memory>


namespace kata::node::uses {

void async_fake(Loop& loop, const std::string& data, ResultCallback cb) {
  (void)loop;
  cb(data == "foo");  // right now, synchronously
}

void async_real(Loop& loop, const std::string& data, ResultCallback cb) {
  loop.next_tick([cb = std::move(cb), result = data == "foo"] { cb(result); });
}

NaiveStreamLibrary::NaiveStreamLibrary(Loop& loop, const std::string& resource) {
  (void)loop, (void)resource;
  emit("start");  // nobody is listening yet
}

StreamLibrary::StreamLibrary(Loop& loop, const std::string& resource) {
  (void)resource;
  // The object must outlive the tick (as a JS object would be kept alive by
  // the closure): the tests keep it on their stack until the loop is done.
  loop.next_tick([this] { emit("start"); });
}

namespace {
// One piece of work, then schedule the rest with `defer`.
void compute_step(Loop& loop, int i, int steps, const std::shared_ptr<std::function<void(int)>>& step,
                  const std::shared_ptr<Callback>& done, void (*defer)(Loop&, Callback)) {
  if (i == steps) {
    if (*done) (*done)();
    return;
  }
  (*step)(i);
  defer(loop, [&loop, i, steps, step, done, defer] { compute_step(loop, i + 1, steps, step, done, defer); });
}
}  // namespace

void compute_with_next_tick(Loop& loop, int steps, std::function<void(int)> step, Callback done) {
  auto s = std::make_shared<std::function<void(int)>>(std::move(step));
  auto d = std::make_shared<Callback>(std::move(done));
  loop.next_tick([&loop, steps, s, d] {
    compute_step(loop, 0, steps, s, d, [](Loop& l, Callback cb) { l.next_tick(std::move(cb)); });
  });
}

void compute_with_immediate(Loop& loop, int steps, std::function<void(int)> step, Callback done) {
  auto s = std::make_shared<std::function<void(int)>>(std::move(step));
  auto d = std::make_shared<Callback>(std::move(done));
  loop.set_immediate([&loop, steps, s, d] {
    compute_step(loop, 0, steps, s, d, [](Loop& l, Callback cb) { l.set_immediate(std::move(cb)); });
  });
}

}  // namespace kata::node::uses
