#include "json_lines.hpp"

#include <stdexcept>
#include <utility>

namespace kata::child_process::ipc {

namespace {
// Whether `root` nests deeper than kMaxDepth. An explicit stack, not
// recursion: this is the check that makes the recursive dump() safe.
bool too_deep(const json& root) {
  std::vector<std::pair<const json*, std::size_t>> todo{{&root, 0}};
  while (!todo.empty()) {
    const auto [value, depth] = todo.back();
    todo.pop_back();
    if (!value->is_structured()) continue;
    if (depth + 1 > kMaxDepth) return true;
    for (const json& child : *value) todo.emplace_back(&child, depth + 1);
  }
  return false;
}
}  // namespace

std::string encode(const json& msg) {
  if (too_deep(msg))
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
// Why these bytes can't be a frame, found in one pass that never recurses,
// before the parser (and everything that later copies the value) sees them.
std::optional<std::string> precheck(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // The parser takes a NUL for the end of the input and would accept
    // `{"a":1}\0anything` as {"a":1}. A raw NUL is never part of a JSON
    // text (not even inside a string), so it makes the frame malformed.
    // (Node's JSON.parse throws on it from the channel's read: an uncaught
    // exception in the receiver, and the frames after it in that read are
    // lost. We report it and go on.)
    if (c == '\0') return "NUL byte at offset " + std::to_string(i) + " (a frame is one JSON text, nothing else)";
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return "frame nested deeper than " + std::to_string(kMaxDepth) + " levels";
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

Frame parse_frame(std::string_view text) {
  Frame f;
  if (auto why = precheck(text)) {
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
