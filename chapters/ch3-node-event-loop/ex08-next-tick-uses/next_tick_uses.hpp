// The seed's three "nextTick use cases" (第三章, nextTick应用场景), and the
// truth about the first one.
#pragma once

#include <functional>
#include <string>

#include "event_emitter.hpp"
#include "loop.hpp"

namespace kata::node::uses {

using ResultCallback = std::function<void(bool)>;

// asyncFake: calls back *synchronously* — before the caller's next line.
// An API that is sometimes synchronous, sometimes not, "releases Zalgo".
void async_fake(Loop& loop, const std::string& data, ResultCallback cb);
// asyncReal: always calls back asynchronously, via process.nextTick —
// after the caller's code, before any I/O or timer.
void async_real(Loop& loop, const std::string& data, ResultCallback cb);

// The seed's StreamLibrary, wrong: emits "start" inside the constructor,
// when nobody can have subscribed yet (given, to show the bug).
class NaiveStreamLibrary : public kata::events::EventEmitter {
 public:
  NaiveStreamLibrary(Loop& loop, const std::string& resource);
};

// Right: emits "start" from a nextTick, so listeners added right after the
// constructor hear it ("保证订阅永远在发布之前").
class StreamLibrary : public kata::events::EventEmitter {
 public:
  StreamLibrary(Loop& loop, const std::string& resource);
};

// The seed's compute(): CPU work cut in `steps` pieces, each piece
// re-scheduling the next. step(i) does piece i (0-based); done() after the last.
// With nextTick: the whole chain runs before the loop moves on — I/O
// starves (the seed claims the opposite; it is wrong since Node 0.10).
void compute_with_next_tick(Loop& loop, int steps, std::function<void(int)> step, Callback done);
// With setImmediate: one piece per iteration — I/O callbacks run in between.
void compute_with_immediate(Loop& loop, int steps, std::function<void(int)> step, Callback done);

}  // namespace kata::node::uses
