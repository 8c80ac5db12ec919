// Given: the two depth checks behind kMaxDepth (json_lines.hpp), header-only
// so the fuzz targets in fuzz/ build them with json_lines.cpp alone. Why a
// depth limit at all: the parser is iterative, but copying a json value
// (into the std::any of an event), dump() and == recurse once per level, so
// 60000 '[' (120 KB, far under the size limit) overflow the stack. Neither
// check may recurse itself: each is one loop.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_lines.hpp"

namespace kata::child_process::ipc {

// Whether `root` nests deeper than kMaxDepth ("[[1]]" is 2 deep), walked
// with an explicit stack of (value, depth) pairs. encode() asks this before
// dump(), which would recurse.
inline bool nested_too_deep(const json& root) {
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

// Why the bytes of one frame can't be a JSON text, found in one pass before
// the parser (and everything that later copies the value) sees them;
// nullopt when they may be one. Rejects a NUL byte anywhere (the parser
// takes '\0' for the end of its input and would accept `{"a":1}\0anything`
// as {"a":1}; a raw NUL is never part of a JSON text, not even inside a
// string) and nesting deeper than kMaxDepth: '[' / '{' count up and ']' /
// '}' down outside strings (inside one, '\' skips the next byte, '"' ends it).
inline std::optional<std::string> frame_precheck(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
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

}  // namespace kata::child_process::ipc
