// Hidden check of ch4.ex04 (kata/probe.hpp). Half the cases frame: random
// messages (nested objects and arrays, unicode and escapes, numbers) encoded
// with your encode(), mixed with hand-made lines — malformed, a NUL inside,
// nested 1000 or 1001 deep, invalid UTF-8, empty, over / exactly at the frame
// limit, whitespace around — fed to your LineDecoder in a random chunking
// (whole, byte by byte, random sizes: UTF-8 characters get split), then
// finish(). The other half pass real fds: pipes holding a known byte go
// through your send_with_fds on your socket_pair and come out of your
// recv_with_fds with random buffer sizes; each received fd is read and
// checked close-on-exec; plus zero bytes with fds, MSG_CTRUNC (sent raw),
// EOF and a gone peer.
//
// Error texts are the implementer's: a bad frame is logged as "oversized"
// when its text says so (the README fixes that word) and "malformed"
// otherwise; finish() only as reported or not. No fd numbers are logged.
//
//     ./build/learner/ch4_ex04 --kata-probe --seed 7 --cases 3
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "fd_passing.hpp"
#include "json_lines.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "kata/raw_fds.hpp"

namespace {

namespace ipc = kata::child_process::ipc;
using ipc::json;
using kata::console::log;
using kata::probe::Rng;

std::string esc(std::string_view s) { return kata::probe::shown(s, 160); }

// ---- framing -------------------------------------------------------------------

std::string text(Rng& rng) {
  static const std::vector<std::string> pieces = {
      "a", "b", "hello", " ", "\n", "\t", "\"", "\\", "/", "\x01", "\x1f", "\x7f", "é", "中文", "轮询", "😀", "\r\n", "{}", "[", "0"};
  std::string s;
  const int n = rng.between(0, 5);
  for (int i = 0; i < n; ++i) s += rng.pick(pieces);
  return s;
}

json value(Rng& rng, int depth) {
  const int r = rng.below(depth >= 3 ? 6 : 9);
  switch (r) {
    case 0: return nullptr;
    case 1: return rng.chance(50);
    case 2: return rng.between(-1000000, 1000000);
    case 3: return rng.pick<double>({0.5, -2.25, 1e-7, 3.141592653589793, 1e300});
    case 4: return text(rng);
    case 5: return std::uint64_t(rng.next());
    case 6:
    case 7: {
      json o = json::object();
      const int n = rng.between(0, 4);
      for (int i = 0; i < n; ++i) o[rng.pick<std::string>({"cmd", "act", "key", "id", "data", "é", "a b"}) + std::to_string(i)] = value(rng, depth + 1);
      return o;
    }
    default: {
      json a = json::array();
      const int n = rng.between(0, 4);
      for (int i = 0; i < n; ++i) a.push_back(value(rng, depth + 1));
      return a;
    }
  }
}

// A value nested `depth` arrays deep, built without recursion.
json nested(std::size_t depth) {
  json v = json::array();
  for (std::size_t i = 1; i < depth; ++i) {
    json outer = json::array();
    outer.push_back(std::move(v));
    v = std::move(outer);
  }
  return v;
}

std::string describe(const ipc::Frame& f) {
  if (f.message) {
    const std::string dumped = f.message->dump();
    return "message " + esc(dumped);
  }
  return f.error.find("oversized") != std::string::npos ? "error oversized" : "error malformed";
}

void framing_case(Rng& rng) {
  const bool deep = rng.chance(15);
  std::size_t limit = deep ? 4096 : std::size_t(rng.pick<int>({16, 32, 64, 200, 4096}));
  std::string stream;
  std::vector<std::size_t> frame_sizes;  // of the encoded lines, without the newline
  const int n = rng.between(1, 7);
  for (int i = 0; i < n; ++i) {
    int kind = rng.below(deep ? 13 : 11);
    if (kind == 10 + 2 * int(deep)) kind = 7;  // more lines near the limit
    if (kind < 4) {
      const json msg = value(rng, 0);
      std::string line;
      try {
        line = ipc::encode(msg);
      } catch (const std::invalid_argument&) {
        log("encode threw invalid_argument");
        continue;
      }
      log("encode " + esc(line));
      stream += line;
      frame_sizes.push_back(line.size() - 1);
    } else if (kind == 4) {
      // A message with a string that is not UTF-8: refused at the sender.
      json bad = json::object();
      bad["s"] = std::string("ok") + rng.pick<std::string>({"\xff", "\xc3", "\xe4\xb8", "\xed\xa0\x80", "\xc0\xaf"});
      try {
        ipc::encode(bad);
        log("encode invalid UTF-8: no error");
      } catch (const std::invalid_argument&) {
        log("encode invalid UTF-8: invalid_argument");
      }
      stream += "{\"s\":\"x" + rng.pick<std::string>({"\xff", "\xc3\"", "\xe4\xb8"}) + "\"}\n";  // and refused at the receiver
    } else if (kind == 5) {
      stream += rng.pick<std::string>({"{", "[1,]", "nul", "{\"a\":1}x", "{\"a\":1} {\"b\":2}", "'a'", "01", "{a:1}", "\"\\q\""}) + "\n";
    } else if (kind == 6) {
      std::string nul = rng.pick<std::string>({"{\"a\":1}", "[1]", "\"s\""});
      nul += std::string(1, '\0') + rng.pick<std::string>({"{\"b\":2}", "", "x"});
      stream += nul + "\n";
    } else if (kind == 7) {
      // Over the limit (by 1 or more), or exactly at it: a string padded to size.
      const std::size_t size = limit + std::size_t(rng.pick<int>({0, 0, 1, 2, 50}));
      std::string line = "\"" + std::string(size >= 2 ? size - 2 : 0, 'x') + "\"";
      log("line of " + std::to_string(line.size()) + " bytes");
      stream += line + "\n";
    } else if (kind == 8) {
      stream += rng.pick<std::string>({"\n", "\n\n"});  // empty lines are no frames
    } else if (kind == 9) {
      stream += rng.pick<std::string>({" ", "\t", "  "}) + "{\"ws\":" + std::to_string(rng.below(100)) + "}" +
                rng.pick<std::string>({" ", "\r", "\t "}) + "\n";
    } else {
      // Nested exactly kMaxDepth (fine) or one more (malformed; encode refuses it).
      const std::size_t d = ipc::kMaxDepth + std::size_t(rng.below(2));
      try {
        const std::string line = ipc::encode(nested(d));
        log("encode depth " + std::to_string(d) + ": " + std::to_string(line.size()) + " bytes");
      } catch (const std::invalid_argument&) {
        log("encode depth " + std::to_string(d) + ": invalid_argument");
      }
      stream += std::string(d, '[') + std::string(d, ']') + "\n";
    }
  }
  // Now and then the limit is exactly one encoded frame's size, or one byte less.
  if (!deep && !frame_sizes.empty() && rng.chance(30)) {
    const std::size_t size = rng.pick(frame_sizes);
    limit = size > 1 && rng.chance(40) ? size - 1 : size;
  }
  log("limit " + std::to_string(limit));
  // The end of the channel may cut the last frame.
  if (rng.chance(35)) {
    const std::string tail = rng.pick<std::string>({"{\"cut\":", "[1,2", "\"\xe4\xb8", std::string(limit + 3, '7')});
    stream += tail;
    log("tail of " + std::to_string(tail.size()) + " bytes");
  }
  ipc::LineDecoder decoder(limit);
  const int mode = rng.below(3);
  log(std::string("feeding ") + std::to_string(stream.size()) + " bytes " + (mode == 0 ? "at once" : mode == 1 ? "byte by byte" : "in random pieces"));
  bool over = false;
  for (std::size_t at = 0; at < stream.size();) {
    const std::size_t len = std::min(stream.size() - at, mode == 0 ? stream.size() : mode == 1 ? 1 : std::size_t(rng.between(1, 9)));
    for (const auto& f : decoder.feed(std::string_view(stream).substr(at, len))) log("  " + describe(f));
    at += len;
    over = over || decoder.buffered() > limit;
    if (rng.chance(10)) log(std::string("  at byte ") + std::to_string(at) + (decoder.mid_frame() ? ": mid frame" : ": between frames"));
  }
  if (over) log("held more than the limit");
  log(std::string("finish: ") + (decoder.finish() ? "reported" : "nothing"));
  log(std::string("finish again: ") + (decoder.finish() ? "reported" : "nothing"));
  log(std::string("after finish: ") + (decoder.mid_frame() ? "mid frame" : "between frames"));
}

// ---- fd passing ----------------------------------------------------------------

int open_fds() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (::readdir(d) != nullptr) ++n;
    ::closedir(d);
  }
  return n;
}

bool cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

// A pipe's read end holding one known byte.
int marked(char mark) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
  if (::write(p[1], &mark, 1) != 1) throw std::runtime_error("write");
  ::close(p[1]);
  return p[0];
}

void show_received(const std::string& what, const ipc::Received& r, const char* buf) {
  std::string line = what + ": bytes " + std::to_string(r.bytes);
  if (r.bytes > 0) line += " \"" + esc(std::string_view(buf, std::size_t(r.bytes))) + "\"";
  line += " fds " + std::to_string(r.fds.size()) + (r.fds_truncated ? " truncated" : "");
  for (int fd : r.fds) {
    char c = '?';
    const bool got = ::read(fd, &c, 1) == 1;
    line += std::string(" [") + (got ? std::string(1, c) : std::string("unreadable")) + (cloexec(fd) ? " cloexec]" : " inheritable]");
    ::close(fd);
  }
  log(line);
}

std::string errno_name(int e) {
  switch (e) {
    case EINVAL: return "EINVAL";
    case EPIPE: return "EPIPE";
    case EAGAIN: return "EAGAIN";
    case ECONNRESET: return "ECONNRESET";
    default: return "errno " + std::to_string(e);
  }
}

void fd_case(Rng& rng) {
  const int before = open_fds();
  int sv[2] = {-1, -1};
  ipc::socket_pair(sv);
  log(std::string("socket_pair: ") + (cloexec(sv[0]) ? "cloexec" : "inheritable") + " / " + (cloexec(sv[1]) ? "cloexec" : "inheritable"));
  char mark = 'A';
  std::size_t pending = 0;  // bytes sent, not yet read
  const int sends = rng.between(1, 4);
  for (int i = 0; i < sends; ++i) {
    const int kind = rng.below(10);
    if (kind == 0) {
      const int one[1] = {sv[0]};
      errno = 0;
      const ssize_t n = ipc::send_with_fds(sv[0], "", one);
      log("send 0 bytes with 1 fd: " + std::to_string(n) + (n < 0 ? " " + errno_name(errno) : ""));
      continue;
    }
    if (kind == 1) {
      // More fds than a read has room for, sent raw: the receiver sees MSG_CTRUNC.
      const int count = rng.between(int(ipc::kMaxFdsPerRead) + 4, 20);
      std::vector<int> fds;
      for (int k = 0; k < count; ++k) fds.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
      const ssize_t n = kata::raw_send_fds(sv[0], "z", fds);
      for (int fd : fds) ::close(fd);
      log("raw send 1 byte with " + std::to_string(count) + " fds: " + std::to_string(n));
      if (n > 0) pending += std::size_t(n);
      continue;
    }
    std::string bytes;
    const int len = rng.between(1, 12);
    for (int k = 0; k < len; ++k) bytes += char('a' + rng.below(26));
    std::vector<int> fds;
    const int nfds = rng.pick<int>({0, 1, 1, 2, 3, int(ipc::kMaxFdsPerRead)});
    for (int k = 0; k < nfds; ++k) fds.push_back(marked(mark++));
    const ssize_t n = ipc::send_with_fds(sv[0], bytes, fds);
    for (int fd : fds) ::close(fd);  // the receiver has its own copies
    log("send \"" + bytes + "\" with " + std::to_string(nfds) + " fds: " + std::to_string(n));
    if (n > 0) pending += std::size_t(n);
  }
  const bool close_sender = rng.chance(40);
  if (close_sender) {
    ::close(sv[0]);
    sv[0] = -1;
    log("sender closed");
  }
  // Read it all back in random sizes (1 byte reads the fds off the first byte).
  char buf[64];
  int reads = 0;
  while (pending > 0 && reads < 200) {
    const std::size_t len = std::size_t(rng.pick<int>({1, 1, 2, 5, 64}));
    const ipc::Received r = ipc::recv_with_fds(sv[1], buf, len);
    show_received("recv " + std::to_string(len), r, buf);
    if (r.bytes <= 0) break;
    pending -= std::size_t(r.bytes);
    ++reads;
  }
  if (close_sender) {
    const ipc::Received r = ipc::recv_with_fds(sv[1], buf, sizeof buf);
    show_received("recv after close", r, buf);
  } else if (rng.chance(50)) {
    // The peer is gone: EPIPE, and no SIGPIPE to kill us.
    ::close(sv[1]);
    sv[1] = -1;
    const int one[1] = {sv[0]};
    errno = 0;
    const ssize_t n = ipc::send_with_fds(sv[0], "x", rng.chance(50) ? std::span<const int>(one) : std::span<const int>());
    log("send to a closed peer: " + std::to_string(n) + (n < 0 ? " " + errno_name(errno) : ""));
  }
  for (int fd : sv)
    if (fd >= 0) ::close(fd);
  const int leaked = open_fds() - before;
  if (leaked != 0) log("fds left open: " + std::to_string(leaked));
}

void one_case(Rng& rng) {
  if (rng.chance(50))
    framing_case(rng);
  else
    fd_case(rng);
}

}  // namespace

KATA_PROBE(one_case);
