#include "wire.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace playground {

std::int64_t Message::num(std::size_t i) const { return std::strtoll(field(i).c_str(), nullptr, 10); }
double Message::real(std::size_t i) const { return std::strtod(field(i).c_str(), nullptr); }
const std::string& Message::field(std::size_t i) const {
  static const std::string empty;
  return i < fields.size() ? fields[i] : empty;
}

bool Wire::fill() {
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(in_, chunk, sizeof chunk);
    if (n > 0) {
      buf_.append(chunk, std::size_t(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

Message Wire::read() {
  std::size_t nl;
  while ((nl = buf_.find('\n', pos_)) == std::string::npos) {
    if (!fill()) throw std::runtime_error("the JavaScript host went away");
  }
  std::string_view line(buf_.data() + pos_, nl - pos_);
  pos_ = nl + 1;
  Message m;
  if (line.empty()) return m;
  m.tag = line[0];
  std::string_view after = line.size() > 2 ? line.substr(2) : std::string_view{};
  m.rest = std::string(after);
  std::size_t start = 0;
  while (start <= after.size() && !after.empty()) {
    const std::size_t sp = after.find(' ', start);
    if (sp == std::string_view::npos) {
      m.fields.emplace_back(after.substr(start));
      break;
    }
    m.fields.emplace_back(after.substr(start, sp - start));
    start = sp + 1;
  }
  return m;
}

std::string Wire::read_bytes(std::size_t n) {
  while (buf_.size() - pos_ < n) {
    if (!fill()) throw std::runtime_error("the JavaScript host went away");
  }
  std::string out = buf_.substr(pos_, n);
  pos_ += n;
  return out;
}

void Wire::send(std::string_view line, std::string_view payload) {
  std::string out;
  out.reserve(line.size() + 1 + payload.size());
  out.append(line);
  out.push_back('\n');
  out.append(payload);
  std::size_t off = 0;
  while (off < out.size()) {
    const ssize_t n = ::write(out_, out.data() + off, out.size() - off);
    if (n > 0) {
      off += std::size_t(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    throw std::runtime_error("the JavaScript host went away");
  }
}

}  // namespace playground
