// The IPC wire format of fork(): one JSON text per line (Node's default
// 'json' serialization: JSON.stringify(msg) + '\n').
//
// A JSON text never contains a raw newline (newlines inside strings are
// escaped as \n), so '\n' alone delimits frames. The decoder is the part that
// must be careful: bytes arrive in arbitrary chunks, a frame may be split
// anywhere (even inside a multi-byte UTF-8 character), a peer may send
// garbage or a frame so big it would eat the process's memory.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kata::child_process::ipc {

using json = nlohmann::ordered_json;  // keeps key order, as JSON.stringify does

// Default cap on one frame (Node has none; an unbounded buffer is a memory
// exhaustion bug waiting for a misbehaving peer).
inline constexpr std::size_t kDefaultMaxFrame = 4 * 1024 * 1024;

// Deepest nesting of arrays/objects a frame may have ("[[1]]" is 2 deep). The
// library's parser is iterative, but copying, serializing and comparing a
// json value recurse once per level (about 170 bytes of stack per level
// optimized, 800 unoptimized): a 120 KB frame of 60000 '[' would overflow
// the stack of whoever copies the message. 1000 levels take at most ~1 MB
// even unoptimized, well inside a thread's 8 MiB. Node has no such limit
// (its JSON.parse is iterative); real messages are a few levels deep.
inline constexpr std::size_t kMaxDepth = 1000;

// JSON text of `msg` followed by '\n'. Throws std::invalid_argument when the
// message can't be serialized (a string that is not valid UTF-8, or nested
// deeper than kMaxDepth: the receiver would refuse it).
std::string encode(const json& msg);

// One decoded frame: either a message or the reason the frame was rejected.
struct Frame {
  std::optional<json> message;  // set when the frame parsed
  std::string error;            // set when it did not ("malformed frame: ...")
};

class LineDecoder {
 public:
  explicit LineDecoder(std::size_t max_frame = kDefaultMaxFrame) : max_frame_(max_frame) {}

  // Appends bytes and returns every frame they complete, in order. A bad
  // frame becomes an error entry; the frames after it are still decoded
  // (one broken message does not lose the others). A frame is one JSON text
  // and nothing else but whitespace: a NUL byte anywhere, or nesting deeper
  // than kMaxDepth, makes it malformed (checked in one pass over the bytes,
  // before anything recursive sees them).
  std::vector<Frame> feed(std::string_view bytes);

  // The peer closed the channel: a frame cut in the middle is reported
  // ("truncated frame of N bytes") and dropped. nullopt when nothing is left.
  std::optional<std::string> finish();

  // Bytes held for the frame not yet complete.
  std::size_t buffered() const { return partial_.size(); }
  // True when the next byte fed continues a frame (held or being skipped),
  // false when it would start a new one. The channel uses it to find the
  // frame that fds arriving with a read belong to.
  bool mid_frame() const { return skipping_ || !partial_.empty(); }

 private:
  std::size_t max_frame_;
  std::string partial_;       // the incomplete last frame
  bool skipping_ = false;     // inside an oversized frame: drop bytes until '\n'
  std::size_t skipped_ = 0;   // how many were dropped (for the error text)
};

}  // namespace kata::child_process::ipc
