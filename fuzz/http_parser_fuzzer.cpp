// Fuzzes the incremental HTTP/1.1 request parser (ch4 ex07, RequestParser).
//
// Input: [limits][chunk table][stream]. An odd `limits` byte picks small
// limits (so the 413/431 paths are reached with short inputs), an even one
// the defaults; the chunk table (fuzz_input.hpp) cuts the stream into
// feed() calls as TCP would, and the server takes every ready request after
// each feed. Checked on every input:
//  - the outcome does not depend on the cuts: the requests and the error
//    status equal those of one feed() of the whole stream;
//  - a request's body is exactly Content-Length bytes (none without one),
//    within the body limit, and it has no Transfer-Encoding (that is a 501);
//  - method and header names are tokens, the version is HTTP/1.0 or 1.1, the
//    target is non-empty without SP/CR/LF/NUL, and no header value holds a
//    CR, LF or NUL (RFC 9110 5.5: a recipient must reject or replace them;
//    passing them on is how responses get split and requests smuggled);
//  - error_status() is one the parser documents, and once set no request
//    comes out any more.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.hpp"
#include "http.hpp"

namespace http = kata::http;

namespace {

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
  });
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

bool same(const http::Request& a, const http::Request& b) {
  return a.method == b.method && a.target == b.target && a.version == b.version && a.headers == b.headers &&
         a.body == b.body && a.keep_alive == b.keep_alive;
}

void check_request(const http::Request& r, const http::Limits& limits) {
  KATA_FUZZ_CHECK(is_token(r.method), "method is not a token");
  KATA_FUZZ_CHECK(r.version == "HTTP/1.1" || r.version == "HTTP/1.0", "version %s", r.version.c_str());
  KATA_FUZZ_CHECK(!r.target.empty() && r.target.find_first_of(std::string_view(" \r\n\0", 4)) == std::string::npos,
                  "request target holds SP, CR, LF or NUL");
  std::size_t content_length = 0;
  bool has_length = false;
  for (const auto& [name, value] : r.headers) {
    KATA_FUZZ_CHECK(is_token(name), "header name is not a token");
    KATA_FUZZ_CHECK(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
                    "value of header '%s' holds a CR, LF or NUL byte", name.c_str());
    KATA_FUZZ_CHECK(!iequals(name, "Transfer-Encoding"), "a request with Transfer-Encoding was accepted");
    if (iequals(name, "Content-Length")) {
      std::size_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      KATA_FUZZ_CHECK(ec == std::errc() && end == value.data() + value.size(), "accepted Content-Length '%s'",
                      value.c_str());
      KATA_FUZZ_CHECK(!has_length || n == content_length, "accepted two different Content-Length values");
      has_length = true;
      content_length = n;
    }
  }
  KATA_FUZZ_CHECK(r.body.size() == content_length, "body of %zu bytes, Content-Length %zu", r.body.size(),
                  content_length);
  KATA_FUZZ_CHECK(r.body.size() <= limits.max_body_bytes, "body over the limit");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kata::fuzz::Input in(data, size);
  const std::uint8_t l = in.byte();
  http::Limits limits;
  if (l & 1) {
    limits.max_header_bytes = 32 + (l >> 1) * 4;
    limits.max_body_bytes = l >> 1;
  }
  kata::fuzz::Chunker chunks(in);
  const std::string_view stream = in.rest();

  http::RequestParser chunked(limits);
  std::vector<http::Request> requests;
  while (!in.empty()) {
    const int error_before = chunked.error_status();
    chunked.feed(in.take(chunks.next()));
    while (auto r = chunked.next()) {
      KATA_FUZZ_CHECK(error_before == 0, "a request came out after error %d", error_before);
      check_request(*r, limits);
      requests.push_back(std::move(*r));
    }
    KATA_FUZZ_CHECK(error_before == 0 || chunked.error_status() == error_before, "the error status changed");
  }
  const int status = chunked.error_status();
  KATA_FUZZ_CHECK(status == 0 || status == 400 || status == 413 || status == 431 || status == 501 || status == 505,
                  "undocumented error status %d", status);

  http::RequestParser whole(limits);
  whole.feed(stream);
  std::vector<http::Request> expected;
  while (auto r = whole.next()) expected.push_back(std::move(*r));
  KATA_FUZZ_CHECK(status == whole.error_status(), "error %d when cut, %d in one piece", status, whole.error_status());
  KATA_FUZZ_CHECK(requests.size() == expected.size() &&
                      std::equal(requests.begin(), requests.end(), expected.begin(), same),
                  "%zu requests when cut, %zu in one piece (or they differ)", requests.size(), expected.size());
  return 0;
}
