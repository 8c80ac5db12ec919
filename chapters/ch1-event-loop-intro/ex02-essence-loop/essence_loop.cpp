#include "essence_loop.hpp"

#include <algorithm>
#include <utility>

#include "kata/todo.hpp"

namespace kata::essence {

void Loop::set_timeout(Task fn, std::int64_t ms) {
  (void)fn, (void)ms;
  KATA_TODO("store a Timer{due = clock_.now_ms() + max(ms, 0), seq = next_seq_++, fn} in timers_ (hint 1)");
}

void Loop::queue_microtask(Task fn) {
  (void)fn;
  KATA_TODO("push fn at the back of microtasks_ (hint 2)");
}

void Loop::drain_microtasks() {
  KATA_TODO("pop and run the oldest microtask until the queue is empty — including ones queued meanwhile (hint 2)");
}

void Loop::run(Task script) {
  (void)script;
  KATA_TODO("script(); drain microtasks; then while timers remain: pick the earliest (due, seq), sleep the clock "
            "until it is due, remove it, call it, drain microtasks (hint 3)");
}

}  // namespace kata::essence
