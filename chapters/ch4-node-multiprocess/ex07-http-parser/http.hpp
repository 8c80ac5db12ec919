// A small HTTP/1.1 server's two halves: an incremental request parser and a
// response writer — just enough for the seed's "hello world" cluster (and for
// ab and wrk to load it): keep-alive, Content-Length bodies, pipelining.
//
// Incremental because TCP delivers bytes, not requests: one read may hold half
// a request line, or three pipelined requests (wrk and `ab -k` do that), so the
// parser keeps what it has and hands out requests as they complete.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kata::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;   // "GET"
  std::string target;   // "/worker?x=1"
  std::string version;  // "HTTP/1.1" or "HTTP/1.0"
  Headers headers;      // in arrival order, names as sent
  std::string body;     // exactly Content-Length bytes
  bool keep_alive = true;

  // First header with this name, compared case-insensitively (Content-Length == content-length).
  std::optional<std::string> header(std::string_view name) const;
};

struct Limits {
  std::size_t max_header_bytes = 16 * 1024;  // request line + headers; Node's default is 16 KiB
  std::size_t max_body_bytes = 1024 * 1024;
};

class RequestParser {
 public:
  explicit RequestParser(Limits limits = {});

  // Takes the next bytes read from the connection. Complete requests queue up
  // for next(); a protocol error stops the parser (error_status() says which).
  void feed(std::string_view bytes);

  // The oldest complete request not yet taken, if any.
  std::optional<Request> next();

  // 0 while fine; else the status to answer before closing the connection:
  // 400 malformed (a control character where llhttp refuses one, a bare CR or
  // LF, two Content-Lengths ...), 413 body too large, 431 header section too large,
  // 501 Transfer-Encoding (only Content-Length bodies here), 505 not HTTP/1.x.
  int error_status() const { return error_; }

  // Where the connection is, for the server's timeouts (Node's headersTimeout
  // and requestTimeout; see cluster/support/http_server.hpp). Given: they only
  // read the members feed() keeps.
  bool mid_request() const { return partial_.has_value() || !buffer_.empty(); }  // a request has begun
  bool head_complete() const { return partial_.has_value(); }                    // only its body is missing
  std::size_t ready() const { return ready_.size(); }                            // complete, not yet taken

 private:
  bool parse_head(std::string_view head);  // false = error_ set
  void fail(int status);

  Limits limits_;
  std::string buffer_;          // bytes not yet consumed
  std::size_t scanned_ = 0;     // where to resume looking for the blank line
  std::optional<Request> partial_;  // head parsed, body still arriving
  std::size_t body_length_ = 0;
  std::deque<Request> ready_;
  int error_ = 0;
};

struct Response {
  int status = 200;
  Headers headers;  // extra headers; Content-Length and Connection are written for you
  std::string body;
  bool keep_alive = true;
};

// The bytes to send: status line, headers, Content-Length, Connection, blank line, body.
std::string write_response(const Response& response);

// "OK", "Bad Request", "Request Header Fields Too Large" ... ("Unknown" otherwise).
std::string_view reason_phrase(int status);

}  // namespace kata::http
