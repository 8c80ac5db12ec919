#include "kata/clock.hpp"

#include <chrono>
#include <thread>

namespace kata {

std::int64_t RealClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void RealClock::sleep_ms(std::int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

VirtualClock& virtual_clock() {
  static VirtualClock clock;
  return clock;
}

void busy_wait(std::int64_t ms, Clock& clock) {
  if (clock.is_virtual()) {
    clock.sleep_ms(ms);
    return;
  }
  const std::int64_t start = clock.now_ms();
  while (clock.now_ms() - start < ms) {
  }
}

}  // namespace kata
