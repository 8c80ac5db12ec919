#include "json_lines.hpp"

#include <stdexcept>

#include "json_depth.hpp"

namespace kata::child_process::ipc {

std::string encode(const json& msg) {
  if (nested_too_deep(msg))  // before dump(), which recurses
    throw std::invalid_argument("message cannot be serialized: nested deeper than " + std::to_string(kMaxDepth) +
                                " levels");
  try {
    // strict: invalid UTF-8 is an error at the sender, where the bug is,
    // rather than a malformed frame at the receiver.
    return msg.dump(-1, ' ', false, json::error_handler_t::strict) + '\n';
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("message cannot be serialized: ") + e.what());
  }
}

namespace {
Frame parse_frame(std::string_view text) {
  Frame f;
  // NUL bytes and nesting, in one pass that never recurses (json_depth.hpp;
  // Node's JSON.parse would throw from the channel's read on a NUL, losing
  // the frames after it: we report it and go on).
  if (auto why = frame_precheck(text)) {
    f.error = "malformed frame: " + *why;
    return f;
  }
  // allow_exceptions=false: a bad frame is data to report, not a throw
  // that would unwind through the event loop.
  json parsed = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    f.error = "malformed frame: not a JSON text (" + std::to_string(text.size()) + " bytes)";
  } else {
    f.message = std::move(parsed);
  }
  return f;
}
}  // namespace

std::vector<Frame> LineDecoder::feed(std::string_view bytes) {
  std::vector<Frame> out;
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, nl);  // up to (not incl.) '\n'
    if (skipping_) {
      skipped_ += piece.size();
    } else if (partial_.size() + piece.size() > max_frame_) {
      // Too big: stop buffering now (not when the newline finally comes).
      skipping_ = true;
      skipped_ = partial_.size() + piece.size();
      partial_.clear();
      partial_.shrink_to_fit();
    } else {
      partial_.append(piece);
    }
    if (nl == std::string_view::npos) break;  // frame continues in a later chunk
    if (skipping_) {
      out.push_back(Frame{std::nullopt, "oversized frame: " + std::to_string(skipped_) +
                                            " bytes, limit " + std::to_string(max_frame_)});
      skipping_ = false;
      skipped_ = 0;
    } else if (!partial_.empty()) {  // an empty line is not a frame
      out.push_back(parse_frame(partial_));
      partial_.clear();
    }
    bytes.remove_prefix(nl + 1);
  }
  return out;
}

std::optional<std::string> LineDecoder::finish() {
  std::optional<std::string> err;
  if (skipping_) {
    err = "oversized frame: " + std::to_string(skipped_) + " bytes, limit " + std::to_string(max_frame_) +
          " (cut by end of channel)";
  } else if (!partial_.empty()) {
    err = "truncated frame of " + std::to_string(partial_.size()) + " bytes at end of channel";
  }
  partial_.clear();
  skipping_ = false;
  skipped_ = 0;
  return err;
}

}  // namespace kata::child_process::ipc
