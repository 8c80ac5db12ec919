// kata::node::Timeout — what set_timeout / set_interval return (Node's
// Timeout object). Its own header so that code which only starts and clears
// timers (loop.hpp, the tests, chapter 4) does not include timers.hpp.
#pragma once

#include <cstdint>

namespace kata::node {

// A copy is just a name: clearing a fired or cleared timer does nothing.
struct Timeout {
  std::uint32_t slot = 0;
  std::uint32_t gen = 0;  // 0 = "no timer"
  explicit operator bool() const { return gen != 0; }
};

}  // namespace kata::node
