// The seed's programs on the kata loop (given). Each is the main script.
#include "seed_programs.hpp"

#include <memory>
#include <string>

#include "kata/console.hpp"

namespace kata::node::seed {

using kata::console::log;

void code1(Loop& loop, std::int64_t read_ms) {
  kata::Clock& clock = loop.clock();
  const std::int64_t timeout_scheduled = clock.now_ms();  // Date.now()
  auto file_read_time = std::make_shared<std::int64_t>(0);
  loop.set_timeout([&clock, timeout_scheduled, file_read_time] {
    const std::int64_t delay = clock.now_ms() - timeout_scheduled;
    log("setTimeout: " + std::to_string(delay) + "ms have passed since I was scheduled");
    log("fileReaderTime " + std::to_string(*file_read_time - timeout_scheduled));
  }, 10);
  loop.simulate_io(read_ms, [&clock, file_read_time] {  // someAsyncOperation(...)
    *file_read_time = clock.now_ms();
    kata::busy_wait(20, clock);  // while (Date.now() - fileReadtime < 20) {}
  });
}

void code2(Loop& loop, std::int64_t read_ms) {
  kata::Clock& clock = loop.clock();
  const std::int64_t timeout_scheduled = clock.now_ms();
  auto delay = std::make_shared<std::int64_t>(0);
  loop.set_timeout([&clock, timeout_scheduled, delay] { *delay = clock.now_ms() - timeout_scheduled; }, 5);
  loop.simulate_io(read_ms, [&clock, timeout_scheduled, delay] {
    const std::int64_t file_read_time = clock.now_ms();
    kata::busy_wait(20, clock);
    log("setTimeout: " + std::to_string(*delay) + "ms have passed since I was scheduled");
    log("fileReaderTime " + std::to_string(file_read_time - timeout_scheduled));
  });
}

void code3(Loop& loop) {
  loop.set_timeout([] { log("timeout"); }, 1);
  loop.set_immediate([] { log("immediate"); });
}

void code3_in_io(Loop& loop, std::int64_t read_ms) {
  loop.simulate_io(read_ms, [&loop] {
    loop.set_immediate([] { log("setImmediate"); });
    loop.set_timeout([] { log("setTimeout"); }, 0);
  });
}

}  // namespace kata::node::seed
