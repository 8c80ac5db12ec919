// kata::console::log — the kata's console.log.
//
// Everything an exercise "prints" for grading goes through console::log into
// an ordered trace, one event per line. Tests compare that trace with the
// order real Node prints. Printing to std::cout/std::cerr for your own
// debugging never touches the trace, so it can't break a comparison.
// Set KATA_ECHO=1 to also see each traced line on stderr as it happens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kata::console {

// Appends one event to the trace (thread-safe).
void log(std::string_view line);

}  // namespace kata::console

namespace kata {

// A copy of the trace so far.
std::vector<std::string> trace();
// Empties the trace (each test starts with an empty one).
void clear_trace();

}  // namespace kata
