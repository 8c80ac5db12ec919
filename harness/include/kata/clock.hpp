// Clocks: virtual time for ordering tests, real time where the OS is the subject.
//
// Ordering tests run on a VirtualClock that only moves when told to, so the
// seed's "a 20 ms busy loop" (while (Date.now() - t < 20) {}) becomes
// kata::busy_wait(20): the clock jumps 20 ms, instantly and deterministically,
// whatever the machine's speed. Event loops read time through a Clock&.
#pragma once

#include <cstdint>

namespace kata {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since an arbitrary start (like Date.now() / uv_now()).
  virtual std::int64_t now_ms() const = 0;
  // Lets `ms` pass: a virtual clock jumps, a real clock sleeps.
  virtual void sleep_ms(std::int64_t ms) = 0;
  virtual bool is_virtual() const = 0;
};

class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(std::int64_t start_ms = 0) : now_(start_ms) {}
  std::int64_t now_ms() const override { return now_; }
  void sleep_ms(std::int64_t ms) override { advance(ms); }
  bool is_virtual() const override { return true; }
  void advance(std::int64_t ms) { if (ms > 0) now_ += ms; }
  void set(std::int64_t ms) { now_ = ms; }

 private:
  std::int64_t now_;
};

class RealClock final : public Clock {
 public:
  std::int64_t now_ms() const override;
  void sleep_ms(std::int64_t ms) override;
  bool is_virtual() const override { return false; }
};

// The process-wide virtual clock the tests reset before each test.
VirtualClock& virtual_clock();

// The seed's busy loop `while (Date.now() - start < ms) {}`: on a virtual
// clock it advances the clock by `ms`; on a real clock it spins.
void busy_wait(std::int64_t ms, Clock& clock = virtual_clock());

}  // namespace kata
