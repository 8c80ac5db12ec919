// Exercise 9 — predict what the seed's programs print (seed_programs.hpp).
// Work it out phase by phase on paper first; the tests run the programs on
// the virtual clock and compare with your prediction, line for line.
#pragma once

#include <string>
#include <vector>

namespace kata::node::predict {

using Lines = std::vector<std::string>;

// 代码执行 1 with a read that takes 2 ms (the seed's "花费2毫秒").
Lines code1_read_2ms();
// 代码执行 2 with a read that takes 9 ms (the seed's "花费9毫秒").
Lines code2_read_9ms();
// 代码执行 3 when the loop starts within the same millisecond (start-up 0 ms).
Lines code3_fast_start();
// 代码执行 3 when Node's start-up takes 1 ms or more before the first iteration.
Lines code3_slow_start();
// 代码执行 3, second half: inside the readFile callback.
Lines code3_inside_io();

}  // namespace kata::node::predict
