// Fuzzes the IPC JSON-lines framer (ch4 ex04, LineDecoder).
//
// Input: [cap][chunk table][stream]. `cap` picks the frame limit (small
// limits reach the oversized-frame path with short inputs); the chunk table
// (fuzz_input.hpp) says how the stream is cut into feed() calls, as a socket
// would cut it. Checked on every input:
//  - framing does not depend on the cuts: the frames (and finish()) equal
//    those of one feed() of the whole stream;
//  - one frame per non-empty '\n'-terminated line, and finish() reports
//    exactly when bytes follow the last '\n';
//  - a line holding a NUL byte is an error frame (NUL is never valid JSON);
//  - buffered() never exceeds the cap, and is 0 after finish();
//  - every decoded message can be sent back: encode() gives one line, no raw
//    '\n' inside, which decodes to a message that encodes the same way.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.hpp"
#include "json_lines.hpp"

namespace ipc = kata::child_process::ipc;

namespace {

constexpr std::size_t kCaps[4] = {ipc::kDefaultMaxFrame, 8, 64, 1024};

bool same_frames(const std::vector<ipc::Frame>& a, const std::vector<ipc::Frame>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].message.has_value() != b[i].message.has_value() || a[i].error != b[i].error) return false;
    if (a[i].message && *a[i].message != *b[i].message) return false;
  }
  return true;
}

void check_resendable(const ipc::json& msg) {
  std::string line;
  try {
    line = ipc::encode(msg);
  } catch (const std::invalid_argument& e) {
    KATA_FUZZ_CHECK(false, "a decoded message cannot be encoded again: %s", e.what());
  }
  KATA_FUZZ_CHECK(!line.empty() && line.back() == '\n', "encode() did not end the line");
  KATA_FUZZ_CHECK(line.find('\n') == line.size() - 1, "encode() left a raw newline inside the frame");
  ipc::LineDecoder again;
  const auto frames = again.feed(line);
  KATA_FUZZ_CHECK(frames.size() == 1 && frames[0].message, "an encoded message did not decode as one message");
  KATA_FUZZ_CHECK(ipc::encode(*frames[0].message) == line, "encode(decode(encode(m))) != encode(m)");
  KATA_FUZZ_CHECK(!again.finish(), "bytes left after a whole encoded frame");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kata::fuzz::Input in(data, size);
  const std::size_t cap = kCaps[in.byte() % 4];
  kata::fuzz::Chunker chunks(in);
  const std::string_view stream = in.rest();

  ipc::LineDecoder chunked(cap);
  std::vector<ipc::Frame> frames;
  while (!in.empty()) {
    for (auto& f : chunked.feed(in.take(chunks.next()))) frames.push_back(std::move(f));
    KATA_FUZZ_CHECK(chunked.buffered() <= cap, "buffered %zu bytes, cap %zu", chunked.buffered(), cap);
  }
  const std::optional<std::string> end = chunked.finish();
  KATA_FUZZ_CHECK(chunked.buffered() == 0, "finish() kept %zu bytes", chunked.buffered());

  ipc::LineDecoder whole(cap);
  const std::vector<ipc::Frame> expected = whole.feed(stream);
  KATA_FUZZ_CHECK(same_frames(frames, expected), "the frames depend on how the stream was cut (%zu vs %zu frames)",
                  frames.size(), expected.size());
  KATA_FUZZ_CHECK(end == whole.finish(), "finish() depends on how the stream was cut");

  std::vector<std::string_view> lines;
  for (std::size_t start = 0, nl; (nl = stream.find('\n', start)) != std::string_view::npos; start = nl + 1)
    if (nl > start) lines.push_back(stream.substr(start, nl - start));
  KATA_FUZZ_CHECK(frames.size() == lines.size(), "%zu frames from %zu non-empty lines", frames.size(), lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // A raw NUL is not JSON anywhere (not whitespace; escaped inside strings),
    // so a frame holding one must be rejected, not decoded from a prefix.
    KATA_FUZZ_CHECK(lines[i].find('\0') == std::string_view::npos || !frames[i].message,
                    "frame %zu holds a NUL byte at offset %zu yet decoded as a message", i, lines[i].find('\0'));
  }
  const std::size_t last_nl = stream.rfind('\n');
  const bool tail = last_nl == std::string_view::npos ? !stream.empty() : last_nl + 1 < stream.size();
  KATA_FUZZ_CHECK(end.has_value() == tail, "finish() %s a cut frame", tail ? "missed" : "invented");

  for (const auto& f : frames) {
    KATA_FUZZ_CHECK(f.message.has_value() != !f.error.empty(), "a frame must be a message or an error");
    if (f.message) check_resendable(*f.message);
  }
  return 0;
}
