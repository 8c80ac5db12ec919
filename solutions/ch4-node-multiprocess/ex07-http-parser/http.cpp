#include "http.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kata::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// RFC 9110 token characters: what a method or a header name may contain.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits off one line ending in "\r\n". A lone '\r' or '\n' stays inside the
// line, where the character checks below reject it: Node (llhttp) answers 400
// to both, and a server that reads a bare line end differently from a proxy in
// front of it can be smuggled a request.
std::string_view take_line(std::string_view& rest) {
  const auto crlf = rest.find("\r\n");
  std::string_view line = rest.substr(0, crlf);
  rest.remove_prefix(crlf == std::string_view::npos ? rest.size() : crlf + 2);
  return line;
}

// request-target: visible ASCII only (0x21-0x7e), the bytes llhttp accepts there
// — no control character, no space or tab, no byte >= 0x80.
bool is_target(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

// field-value: tab, space, visible ASCII and obs-text (0x80-0xff), as llhttp.
// Any other control character (NUL, CR, LF, DEL ...) is a 400.
bool is_field_value(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); });
}

}  // namespace

std::optional<std::string> Request::header(std::string_view name) const {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

RequestParser::RequestParser(Limits limits) : limits_(limits) {}

void RequestParser::fail(int status) {
  error_ = status;
  buffer_.clear();
  partial_.reset();
}

void RequestParser::feed(std::string_view bytes) {
  if (error_ != 0) return;  // a failed connection is closed after the error response
  buffer_.append(bytes);
  std::size_t pos = 0;  // consumed so far; erased once at the end (pipelining stays linear)
  for (;;) {
    if (!partial_) {
      // Where does the header section end? At "\r\n\r\n": look back from each '\n'.
      // Only within max_header_bytes: past it the answer is 431 whatever the
      // bytes are, so it must not depend on how they were split into reads.
      std::size_t end = std::string::npos;
      const std::size_t scan_end = std::min(buffer_.size(), pos + limits_.max_header_bytes);
      for (std::size_t i = std::max(pos, scanned_); i < scan_end; ++i) {
        if (buffer_[i] != '\n') continue;
        if (i == pos || buffer_[i - 1] != '\r') return fail(400);  // a bare LF (see take_line)
        if (i - pos >= 3 && buffer_.compare(i - 3, 4, "\r\n\r\n") == 0) { end = i + 1; break; }
      }
      if (end == std::string::npos) {
        if (buffer_.size() - pos > limits_.max_header_bytes) return fail(431);
        scanned_ = scan_end;  // everything before was looked at; the look-back spans reads
        break;
      }
      if (end - pos > limits_.max_header_bytes) return fail(431);
      if (!parse_head(std::string_view(buffer_).substr(pos, end - pos))) return;
      pos = end;
      scanned_ = pos;
    }
    if (buffer_.size() - pos < body_length_) break;  // body still arriving
    partial_->body = buffer_.substr(pos, body_length_);
    pos += body_length_;
    scanned_ = pos;
    ready_.push_back(std::move(*partial_));
    partial_.reset();
  }
  buffer_.erase(0, pos);
  scanned_ = scanned_ >= pos ? scanned_ - pos : 0;
}

bool RequestParser::parse_head(std::string_view head) {
  Request req;
  req.headers.reserve(8);  // one allocation for what clients usually send
  std::string_view rest = head;
  std::string_view line = take_line(rest);
  // request-line = method SP request-target SP HTTP-version
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return fail(400), false;
  req.method = line.substr(0, sp1);
  req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  req.version = line.substr(sp2 + 1);
  if (!is_token(req.method) || !is_target(req.target)) return fail(400), false;
  // Any token is a method here; llhttp knows a fixed list and answers 400 to the rest.
  const std::string_view v = req.version;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || !digit(v[5]) || v[6] != '.' || !digit(v[7]))
    return fail(400), false;
  // Well-formed but not 1.x: 505 (RFC 9110). llhttp answers 400 to HTTP/1.2 and serves HTTP/2.0 as 1.x.
  if (v != "HTTP/1.1" && v != "HTTP/1.0") return fail(505), false;

  while (!rest.empty()) {
    line = take_line(rest);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return fail(400), false;  // obsolete line folding
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return fail(400), false;
    const std::string_view name = line.substr(0, colon);  // no space allowed before ':'
    if (!is_token(name)) return fail(400), false;
    const std::string_view value = trim(line.substr(colon + 1));
    if (!is_field_value(value)) return fail(400), false;  // NUL, CR, LF, DEL ... (see is_field_value)
    req.headers.emplace_back(std::string(name), std::string(value));
  }

  if (req.header("Transfer-Encoding")) return fail(501), false;
  body_length_ = 0;
  bool seen_length = false;
  for (auto& [k, v] : req.headers) {
    if (!iequals(k, "Content-Length")) continue;
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return fail(400), false;
    // A second Content-Length is a 400 even when it agrees, as in Node: two
    // parsers (a proxy's, ours) must never pick different bodies (smuggling).
    if (seen_length) return fail(400), false;
    seen_length = true;
    body_length_ = n;
  }
  if (body_length_ > limits_.max_body_bytes) return fail(413), false;

  const auto connection = req.header("Connection");
  if (req.version == "HTTP/1.1")
    req.keep_alive = !(connection && iequals(*connection, "close"));
  else
    req.keep_alive = connection && iequals(*connection, "keep-alive");
  partial_ = std::move(req);
  return true;
}

std::optional<Request> RequestParser::next() {
  if (ready_.empty()) return std::nullopt;
  Request r = std::move(ready_.front());
  ready_.pop_front();
  return r;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string write_response(const Response& r) {
  // Appended piece by piece into one string (no temporaries per header).
  std::string out = "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += reason_phrase(r.status);
  out += "\r\n";
  for (auto& [k, v] : r.headers) out.append(k).append(": ").append(v).append("\r\n");
  out += "Content-Length: ";
  out += std::to_string(r.body.size());
  // Always explicit: an HTTP/1.0 client (ab -k) keeps the connection only if told so.
  out += r.keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  out += r.body;
  return out;
}

}  // namespace kata::http
