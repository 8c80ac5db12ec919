#include "json_lines.hpp"

#include <stdexcept>

#include "kata/todo.hpp"

namespace kata::child_process::ipc {

std::string encode(const json& msg) {
  (void)msg;
  KATA_TODO("refuse a message nested deeper than kMaxDepth (walk it with an explicit stack, no recursion); "
            "msg.dump(-1, ' ', false, json::error_handler_t::strict) + '\\n'; turn json::exception into "
            "std::invalid_argument (hints 1, 6)");
}

std::vector<Frame> LineDecoder::feed(std::string_view bytes) {
  (void)bytes;
  KATA_TODO("split at '\\n'; keep the unfinished tail in partial_; a complete line is parsed with "
            "allow_exceptions=false (malformed -> an error Frame); before parsing, one pass over the bytes: a "
            "NUL anywhere or nesting deeper than kMaxDepth is malformed too; past max_frame_ stop buffering and "
            "skip to the next '\\n' (hints 2-3, 6)");
}

std::optional<std::string> LineDecoder::finish() {
  KATA_TODO("anything left (a partial or skipped frame) is an error text: \"truncated frame of N bytes ...\"");
}

}  // namespace kata::child_process::ipc
