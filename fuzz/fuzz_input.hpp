// What the fuzz targets share: reading their knobs off the front of the input
// (FuzzedDataProvider is clang-only, and the targets also build under gcc for
// the replay tests), and a check that fails loudly under both drivers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace kata::fuzz {

// Consumes the input from the front. Past the end it yields 0 and empty
// views, so every input, however short, is a valid run.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  std::string_view take(std::size_t n) {
    const std::string_view piece = rest_.substr(0, n);
    rest_.remove_prefix(piece.size());
    return piece;
  }
  std::string_view rest() const { return rest_; }
  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// Chunk sizes cycle through a table read off the input: one byte k, then
// k % 8 + 1 sizes. 0 stands for an empty read (a zero-length feed must be
// harmless); it is followed by a 1-byte chunk so the stream always advances.
class Chunker {
 public:
  explicit Chunker(Input& in) {
    count_ = in.byte() % 8 + 1;
    for (std::size_t i = 0; i < count_; ++i) sizes_[i] = in.byte();
  }
  std::size_t next() {
    if (pending_one_) {
      pending_one_ = false;
      return 1;
    }
    const std::size_t n = sizes_[i_++ % count_];
    if (n == 0) pending_one_ = true;
    return n;
  }

 private:
  std::size_t sizes_[8] = {};
  std::size_t count_ = 1;
  std::size_t i_ = 0;
  bool pending_one_ = false;
};

}  // namespace kata::fuzz

// An invariant the code under test broke: report it and abort, which
// libFuzzer records as a crash (with the input) and a replay test as a failure.
#define KATA_FUZZ_CHECK(cond, ...)                                                 \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      std::fprintf(stderr, "fuzz check failed at %s:%d: %s\n  ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                           \
      std::fprintf(stderr, "\n");                                                  \
      std::abort();                                                                \
    }                                                                              \
  } while (0)
