// Hidden check of ch4.ex07 (kata/probe.hpp): a random connection's bytes —
// pipelined requests (methods, targets, headers with odd spacing, case and
// obs-text, keep-alive choices, bodies holding CRLFs), sometimes one with a
// single defect (each README rule 5/6 kind), sometimes cut short, sometimes
// against a header limit just at or just under the biggest head — fed in a
// random chunking (all at once, byte by byte, random sizes), with next()
// called after random chunks. It logs which request comes out after which
// chunk, every parsed field, and the final error status; then a random
// Response through write_response.
//
// Where the README leaves room it is not looked at: the error status is
// logged only at the end (a defect may be seen at its line or at the blank
// line), a malformed request is never cut short or over the limit, and a cut
// never leaves exactly max_header_bytes of an unfinished head.
//
//     ./build/learner/ch4_ex07 --kata-probe --seed 7 --cases 3
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "http.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"

namespace {

namespace http = kata::http;
using kata::console::log;
using kata::probe::Rng;

std::string esc(const std::string& s) { return kata::probe::shown(s); }

const std::string kTchar = "!#$%&'*+-.^_`|~";
const std::string kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

std::string token(Rng& rng, int lo, int hi) {
  std::string s;
  const int n = rng.between(lo, hi);
  for (int i = 0; i < n; ++i)
    s += rng.chance(85) ? kAlnum[std::size_t(rng.below(int(kAlnum.size())))]
                        : kTchar[std::size_t(rng.below(int(kTchar.size())))];
  return s;
}

std::string flip_case(Rng& rng, std::string s) {
  for (char& c : s)
    if (rng.chance(50)) c = char(c >= 'a' && c <= 'z' ? c - 32 : c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

// Visible ASCII, no space: what a target may hold.
std::string target(Rng& rng) {
  std::string s = "/";
  const int n = rng.between(0, 14);
  for (int i = 0; i < n; ++i) s += char(rng.between(0x21, 0x7e));
  return s;
}

// A field value: visible ASCII, inner spaces and tabs, obs-text (0x80-0xff).
std::string value(Rng& rng) {
  std::string s;
  const int n = rng.between(1, 12);
  for (int i = 0; i < n; ++i) {
    const int r = rng.below(20);
    s += r == 0 ? char(rng.between(0x80, 0xff)) : r == 1 ? '\t' : r == 2 ? ' ' : char(rng.between(0x21, 0x7e));
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s.empty() ? "v" : s;
}

// Optional whitespace around a value (the parser trims it).
std::string ows(Rng& rng) { return rng.pick<std::string>({"", "", "", " ", "  ", "\t", " \t"}); }

struct Built {
  std::string bytes;
  std::size_t head_size = 0;  // request line + headers + blank line
  int defect = 0;             // 0 = a valid request
};

std::string version(Rng& rng) { return rng.chance(75) ? "HTTP/1.1" : "HTTP/1.0"; }

// A valid request; `pad` extra bytes in one X-Pad header (to fit a limit).
Built valid_request(Rng& rng, std::size_t max_body) {
  std::string method = rng.pick<std::string>({"GET", "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"});
  if (rng.chance(10)) method = token(rng, 1, 8);
  std::string head = method + " " + target(rng) + " " + version(rng) + "\r\n";
  const int n = rng.between(0, 4);
  for (int i = 0; i < n; ++i) head += token(rng, 1, 10) + ":" + ows(rng) + value(rng) + ows(rng) + "\r\n";
  const int conn = rng.below(8);
  if (conn < 5) {
    const std::string v = rng.pick<std::string>({"close", "Close", "CLOSE", "keep-alive", "Keep-Alive", "KEEP-ALIVE", "upgrade"});
    head += flip_case(rng, "Connection") + ":" + ows(rng) + v + ows(rng) + "\r\n";
  }
  std::string body;
  if (rng.chance(45)) {
    const std::size_t len = std::size_t(rng.between(0, int(std::min<std::size_t>(max_body, 24))));
    for (std::size_t i = 0; i < len; ++i) {
      const int r = rng.below(8);
      body += r == 0 ? '\r' : r == 1 ? '\n' : r == 2 ? char(rng.between(0, 255)) : char(rng.between('a', 'z'));
    }
    const std::string name = rng.pick<std::string>({"Content-Length", "content-length", "CONTENT-LENGTH", "Content-length"});
    head += name + ":" + ows(rng) + std::to_string(len) + ows(rng) + "\r\n";
  }
  if (rng.chance(30)) head += "Host: " + value(rng) + "\r\n";
  head += "\r\n";
  return {head + body, head.size(), 0};
}

// A request with exactly one defect; the kind is logged.
Built bad_request(Rng& rng, std::string& kind) {
  const std::string ok_line = "GET " + target(rng) + " HTTP/1.1\r\n";
  const std::string host = "Host: h\r\n";
  std::string head;
  const int d = rng.below(22);
  const char ctl = char(rng.pick<int>({0, 1, 8, 0x0b, 0x1f, 0x7f, 0x7f}));
  switch (d) {
    case 0: kind = "no version"; head = "GET /\r\n" + host; break;
    case 1: kind = "two spaces"; head = "GET  / HTTP/1.1\r\n" + host; break;
    case 2: kind = "method not a token"; head = "G(T / HTTP/1.1\r\n" + host; break;
    case 3: kind = "space before colon"; head = ok_line + "Host : h\r\n"; break;
    case 4: kind = "no colon"; head = ok_line + "NoColon\r\n"; break;
    case 5: kind = "folding"; head = ok_line + "A: b\r\n" + rng.pick<std::string>({" ", "\t"}) + "folded\r\n"; break;
    case 6: kind = "bad length"; head = ok_line + "Content-Length: " + rng.pick<std::string>({"12x", "-1", "+5", "1 2", "0x10", ""}) + "\r\n"; break;
    case 7: kind = "two lengths"; {
      const std::string a = std::to_string(rng.between(0, 3));
      head = ok_line + "Content-Length: " + a + "\r\ncontent-length: " + (rng.chance(50) ? a : "2") + "\r\n";
    } break;
    case 8: kind = "version shape"; head = "GET / " + rng.pick<std::string>({"FTP/1.1", "HTTP/1.10", "HTTP/1.1x", "HTTP/1.", "HTTP/11", "http/1.1", "HTTP/a.1"}) + "\r\n" + host; break;
    case 9: kind = "505"; head = "GET / " + rng.pick<std::string>({"HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/1.2"}) + "\r\n" + host; break;
    case 10: kind = "413"; head = "POST / HTTP/1.1\r\nContent-Length: " + std::to_string(rng.between(65, 5000)) + "\r\n"; break;
    case 11: kind = "501"; head = ok_line + flip_case(rng, "Transfer-Encoding") + ": " + rng.pick<std::string>({"chunked", "gzip", "identity"}) + "\r\n"; break;
    case 12: kind = "bare LF"; head = ok_line + "A: b\n"; break;
    case 13: kind = "bare LF ends head"; head = ok_line + host; head += "\n"; return {head, head.size(), d + 1};
    case 14: kind = "bare CR"; head = "GET / HTTP/1.1\rHost: h\r\n"; break;
    case 15: kind = "CR before CRLF"; head = ok_line + "X: a\r\r\n"; break;
    case 16: kind = "control in value"; head = ok_line + "X: a" + std::string(1, ctl) + "b\r\n"; break;
    case 17: kind = "control in name"; head = ok_line + "X" + std::string(1, ctl) + "Y: b\r\n"; break;
    case 18: kind = "byte in target"; head = "GET /a" + std::string(1, rng.chance(50) ? ctl : char(rng.between(0x80, 0xff))) + "b HTTP/1.1\r\n" + host; break;
    case 19: kind = "separator in name"; head = ok_line + "X" + rng.pick<std::string>({"(", ")", ",", "/", ";", "=", "@", "[", "\"", "{"}) + "Y: b\r\n"; break;
    case 20: kind = "empty name"; head = ok_line + ": b\r\n"; break;
    default: kind = "lone CR line"; head = ok_line + host + "\r\r\n"; break;
  }
  head += "\r\n";
  return {head, head.size(), d + 1};
}

void log_request(const http::Request& r, Rng& rng) {
  std::string line = "  " + esc(r.method) + " " + esc(r.target) + " " + esc(r.version) +
                     (r.keep_alive ? " keep-alive" : " close") + " body=" + esc(r.body);
  log(line);
  for (auto& [k, v] : r.headers) log("    " + esc(k) + "=" + esc(v));
  if (!r.headers.empty()) {
    const std::string name = flip_case(rng, r.headers[std::size_t(rng.below(int(r.headers.size())))].first);
    const auto v = r.header(name);
    log("    header(" + esc(name) + ") " + (v ? "= " + esc(*v) : "none"));
  }
  const auto none = r.header("X-Not-There");
  if (none) log("    header(X-Not-There) = " + esc(*none));
}

void parse_case(Rng& rng) {
  http::Limits limits;
  limits.max_body_bytes = std::size_t(rng.pick<int>({0, 8, 64, 64, 1024}));
  const bool tight = rng.chance(30);  // all valid, the limit at or just under the biggest head
  const int n = rng.between(1, 4);
  std::vector<Built> reqs;
  std::vector<std::string> kinds;
  const int bad_at = !tight && rng.chance(45) ? rng.below(n) : -1;
  for (int i = 0; i < n; ++i) {
    std::string kind = "valid";
    reqs.push_back(i == bad_at ? bad_request(rng, kind) : valid_request(rng, limits.max_body_bytes));
    kinds.push_back(kind);
  }
  if (bad_at >= 0 && kinds[std::size_t(bad_at)] == "413") limits.max_body_bytes = std::min<std::size_t>(limits.max_body_bytes, 64);
  std::size_t biggest = 0;
  for (auto& r : reqs) biggest = std::max(biggest, r.head_size);
  if (tight) {
    limits.max_header_bytes = biggest - std::size_t(rng.chance(50) ? 1 : 0);
  } else {
    limits.max_header_bytes = rng.chance(50) ? 16 * 1024 : biggest + std::size_t(rng.between(1, 40));
  }
  std::string stream;
  std::string told = "limits head=" + std::to_string(limits.max_header_bytes) + " body=" + std::to_string(limits.max_body_bytes) + ";";
  for (auto& k : kinds) told += " " + k;
  for (auto& r : reqs) stream += r.bytes;
  // Cut short: only inside a valid last request (a defect may be seen early or late).
  if (bad_at < 0 && rng.chance(30)) {
    const std::size_t last_start = stream.size() - reqs.back().bytes.size();
    std::size_t cut = last_start + std::size_t(rng.below(int(reqs.back().bytes.size())));
    // An unfinished head of exactly the limit may be refused early or not: not looked at.
    if (cut - last_start == limits.max_header_bytes && cut < last_start + reqs.back().head_size) --cut;
    stream.resize(cut);
    told += " (cut after " + std::to_string(cut - last_start) + " bytes of the last)";
  } else if (tight && rng.chance(40)) {
    // A client that never ends its head: 431 once it passes the limit, blank line or not.
    std::string endless = "GET " + target(rng) + " HTTP/1.1\r\n";
    while (endless.size() < limits.max_header_bytes + 2) endless += "X-Filler: " + value(rng) + "\r\n";
    endless.resize(limits.max_header_bytes + 2 + std::size_t(rng.below(30)));
    stream += endless;
    told += " endless(" + std::to_string(endless.size()) + ")";
  }
  log(told);

  http::RequestParser p(limits);
  const int mode = rng.below(4);
  std::vector<std::size_t> sizes;
  for (std::size_t at = 0; at < stream.size();) {
    const std::size_t len = mode == 0 ? stream.size() : mode == 1 ? 1 : std::size_t(rng.between(1, 20));
    sizes.push_back(std::min(len, stream.size() - at));
    at += sizes.back();
  }
  log(std::string("chunks ") + std::to_string(sizes.size()) + (mode == 0 ? " (all at once)" : mode == 1 ? " (byte by byte)" : ""));
  std::size_t at = 0;
  int got = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    p.feed(std::string_view(stream).substr(at, sizes[i]));
    at += sizes[i];
    if (i + 1 == sizes.size() || rng.chance(25)) {
      while (auto r = p.next()) {
        log("after chunk " + std::to_string(i) + " (byte " + std::to_string(at) + "): request " + std::to_string(got++));
        log_request(*r, rng);
      }
    }
  }
  if (p.next()) log("next() after empty gave a request");
  log("error " + std::to_string(p.error_status()));
  if (p.error_status() != 0 && rng.chance(50)) {
    // A failed parser stays failed.
    p.feed(reqs.front().bytes);
    log(std::string("after more bytes: error ") + std::to_string(p.error_status()) + (p.next() ? " and a request" : ""));
  }
}

// One malformed request (after 0-1 valid ones) in a fresh parser, in random chunks.
void defect_case(Rng& rng) {
  http::Limits limits;
  limits.max_body_bytes = 64;
  std::string kind;
  std::string stream = rng.chance(40) ? valid_request(rng, 8).bytes : "";
  const std::size_t good = stream.size();
  stream += bad_request(rng, kind).bytes;
  http::RequestParser p(limits);
  for (std::size_t at = 0; at < stream.size();) {
    const std::size_t len = std::min(stream.size() - at, std::size_t(rng.pick<int>({1, 3, 9, 1000})));
    p.feed(std::string_view(stream).substr(at, len));
    at += len;
  }
  int served = 0;
  while (p.next()) ++served;
  log("defect " + kind + (good ? " after a valid request" : "") + ": error " + std::to_string(p.error_status()) +
      ", served " + std::to_string(served));
}

void response_case(Rng& rng) {
  http::Response r;
  r.status = rng.pick<int>({200, 200, 400, 408, 413, 431, 501, 505, 599});
  r.keep_alive = rng.chance(50);
  const int n = rng.between(0, 3);
  for (int i = 0; i < n; ++i) r.headers.emplace_back(token(rng, 1, 8), value(rng));
  const int len = rng.pick<int>({0, 1, 5, 12, 40});
  for (int i = 0; i < len; ++i) r.body += char(rng.chance(10) ? '\n' : rng.between('a', 'z'));
  log("response " + esc(http::write_response(r)));
}

void one_case(Rng& rng) {
  if (rng.chance(15))
    response_case(rng);
  else
    parse_case(rng);
  for (int i = 0; i < 5; ++i) defect_case(rng);
}

}  // namespace

KATA_PROBE(one_case);
