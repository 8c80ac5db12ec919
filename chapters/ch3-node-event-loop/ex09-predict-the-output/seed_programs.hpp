// The seed's three timing programs (第三章, 代码执行 1, 2, 3), translated line
// for line onto the kata loop. Given, not an exercise: you predict what they
// print (predictions.cpp). fs.readFile becomes loop.simulate_io(read_ms),
// Date.now() the loop's clock, the 20 ms while-loop kata::busy_wait(20).
#pragma once

#include <cstdint>

#include "loop.hpp"

namespace kata::node::seed {

// 代码执行 1: setTimeout(10) logs how long it waited; the read's callback
// (the read takes read_ms) spins for 20 ms.
void code1(Loop& loop, std::int64_t read_ms);
// 代码执行 2: setTimeout(5) only records its delay; the read (read_ms)
// callback spins 20 ms, then logs the delay and when the read finished.
void code2(Loop& loop, std::int64_t read_ms);
// 代码执行 3: setTimeout(1) and setImmediate in the main module.
void code3(Loop& loop);
// 代码执行 3, second half: the same two inside a readFile callback.
void code3_in_io(Loop& loop, std::int64_t read_ms);

}  // namespace kata::node::seed
