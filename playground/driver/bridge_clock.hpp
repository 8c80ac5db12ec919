// The playground's clock: virtual time, so an order never depends on how
// fast the bridge is, and busy loops on Date.now() end.
//
//   * JavaScript's Date.now() reads it; every read lets 1 µs pass (the host
//     counts the reads and reports them with each callback's end), so
//     `while (Date.now() - t < 20) {}` ends after 20 000 reads.
//   * The poll phase "sleeps" by jumping the clock to its timeout — except
//     while fs work is in flight on the thread pool: then it waits for the
//     real completion first (disk I/O takes no virtual time), so a
//     readFile finishes before a 10 ms timer, as it does in node.
#pragma once

#include <poll.h>

#include <cstdint>

#include "kata/clock.hpp"

namespace playground {

class BridgeClock final : public kata::Clock {
 public:
  explicit BridgeClock(std::int64_t start_ms) : us_(start_ms * 1000) {}
  std::int64_t now_ms() const override { return us_ / 1000; }
  void sleep_ms(std::int64_t ms) override {
    if (pool_busy_ && pool_busy_(pool_ctx_) && wake_fd_ >= 0) {
      // fs work in flight: its completion comes before any virtual time passes.
      pollfd p{wake_fd_, POLLIN, 0};
      if (::poll(&p, 1, 30000) > 0) return;
    }
    if (ms > 0) us_ += ms * 1000;
  }
  bool is_virtual() const override { return true; }
  void advance_us(std::int64_t us) {
    if (us > 0) us_ += us;
  }
  std::int64_t now_us() const { return us_; }
  // Set once the loop exists: "is the thread pool busy?" and the fd its completions wake.
  void watch_pool(bool (*busy)(void*), void* ctx, int wake_fd) {
    pool_busy_ = busy;
    pool_ctx_ = ctx;
    wake_fd_ = wake_fd;
  }

 private:
  std::int64_t us_;
  bool (*pool_busy_)(void*) = nullptr;
  void* pool_ctx_ = nullptr;
  int wake_fd_ = -1;
};

}  // namespace playground
