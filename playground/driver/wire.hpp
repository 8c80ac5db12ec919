// The pipe between the driver and the JavaScript host: one message per line,
// fields separated by single spaces, an optional raw payload after the line.
// See playground/PROTOCOL.md for the messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace playground {

struct Message {
  char tag = 0;
  std::vector<std::string> fields;  // after the tag
  std::string rest;                 // the line after the tag (for strings with spaces)
  std::int64_t num(std::size_t i) const;
  double real(std::size_t i) const;
  const std::string& field(std::size_t i) const;
};

class Wire {
 public:
  Wire(int in_fd, int out_fd) : in_(in_fd), out_(out_fd) {}
  // Blocks for the next line; throws std::runtime_error on EOF.
  Message read();
  // Reads exactly n raw bytes (a payload after a line).
  std::string read_bytes(std::size_t n);
  void send(std::string_view line, std::string_view payload = {});

 private:
  bool fill();
  int in_;
  int out_;
  std::string buf_;
  std::size_t pos_ = 0;
};

}  // namespace playground
