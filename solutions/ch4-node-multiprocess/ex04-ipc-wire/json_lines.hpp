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

// JSON text of `msg` followed by '\n'. Throws std::invalid_argument when the
// message can't be serialized (a string that is not valid UTF-8).
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
  // (one broken message does not lose the others).
  std::vector<Frame> feed(std::string_view bytes);

  // The peer closed the channel: a frame cut in the middle is reported
  // ("truncated frame of N bytes") and dropped. nullopt when nothing is left.
  std::optional<std::string> finish();

  // Bytes held for the frame not yet complete.
  std::size_t buffered() const { return partial_.size(); }

 private:
  std::size_t max_frame_;
  std::string partial_;       // the incomplete last frame
  bool skipping_ = false;     // inside an oversized frame: drop bytes until '\n'
  std::size_t skipped_ = 0;   // how many were dropped (for the error text)
};

}  // namespace kata::child_process::ipc
