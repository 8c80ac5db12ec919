#include "http.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "kata/todo.hpp"

namespace kata::http {
namespace {

[[maybe_unused]] bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// RFC 9110 token characters: what a method or a header name may contain.
[[maybe_unused]] bool is_token(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
  });
}

[[maybe_unused]] std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits off one line ending in "\r\n". A lone '\r' or '\n' stays inside the
// line, where the character checks below reject it: Node (llhttp) answers 400
// to both, and a server that reads a bare line end differently from a proxy in
// front of it can be smuggled a request.
[[maybe_unused]] std::string_view take_line(std::string_view& rest) {
  const auto crlf = rest.find("\r\n");
  std::string_view line = rest.substr(0, crlf);
  rest.remove_prefix(crlf == std::string_view::npos ? rest.size() : crlf + 2);
  return line;
}

// request-target: visible ASCII only (0x21-0x7e), the bytes llhttp accepts there
// — no control character, no space or tab, no byte >= 0x80.
[[maybe_unused]] bool is_target(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

// field-value: tab, space, visible ASCII and obs-text (0x80-0xff), as llhttp.
// Any other control character (NUL, CR, LF, DEL ...) is a 400.
[[maybe_unused]] bool is_field_value(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); });
}

}  // namespace

std::optional<std::string> Request::header(std::string_view name) const {
  (void)name;
  KATA_TODO("return the first header whose name iequals() `name` (hint 1)");
}

RequestParser::RequestParser(Limits limits) : limits_(limits) {}

void RequestParser::fail(int status) {
  error_ = status;
  buffer_.clear();
  partial_.reset();
}

void RequestParser::feed(std::string_view bytes) {
  (void)bytes;
  KATA_TODO("append to buffer_; loop: find \"\\r\\n\\r\\n\" (a bare \\n is 400; 431 when the head outgrows "
            "the limit: scan no further than it), parse_head, wait for body_length_ bytes, push the request to ready_ (hints 2-4)");
}

bool RequestParser::parse_head(std::string_view head) {
  (void)head;
  KATA_TODO("request line (is_token, is_target, HTTP/d.d), then 'Name: value' lines (is_field_value); "
            "400/505/501/413 via fail(); one Content-Length; keep_alive from version + Connection; "
            "store in partial_ (hints 5-7)");
}

std::optional<Request> RequestParser::next() {
  KATA_TODO("pop the oldest request of ready_, or nullopt");
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
  (void)r;
  KATA_TODO("status line, extra headers, Content-Length, Connection: keep-alive|close, blank line, body (hint 8)");
}

}  // namespace kata::http
