// kata::node::Immediate — what set_immediate returns (Node's Immediate
// object). Its own header so that code which only queues and clears
// immediates (loop.hpp, the tests, chapter 4) does not include immediates.hpp.
#pragma once

#include <cstdint>

namespace kata::node {

// The immediate's number in the order of set_immediate calls. Numbers are
// never reused, so a stale Immediate (run or cleared) never names another one.
struct Immediate {
  std::uint64_t seq = 0;  // 0 = "no immediate"
  explicit operator bool() const { return seq != 0; }
};

}  // namespace kata::node
