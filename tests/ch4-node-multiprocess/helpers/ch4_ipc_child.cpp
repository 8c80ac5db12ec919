// The other end of fork()'s channel in chapter 4's tests: a plain blocking
// program that speaks the wire format (one JSON text per line, a handle as
// {"cmd":"NODE_HANDLE","msg":...} with the fd on its first byte, answered by
// {"cmd":"NODE_HANDLE_ACK"}). It finds its end of the channel the way a Node
// child does: the fd number in NODE_CHANNEL_FD.
//
//   echo              send every message back; exit 0 when the parent disconnects
//   send-first N      send {"n":i} for i=1..N at once, then echo
//   send-and-exit N   send {"n":i} for i=1..N, then exit 0
//   handles           for a handle message: ACK, then act on msg:
//                       {"write":"text"}  write text to the fd (a connected socket)
//                       {"accept":true}   accept one connection on it, write "hello\n"
//                     then reply {"handled":msg} with the same fd sent back
//   die-mid-message   write half a frame, exit 3
//   garbage           a malformed frame, then {"after":"garbage"}, exit 0
//   oversized N       a frame of N bytes, then {"after":"oversized"}, exit 0
//   deep N...         for each N a frame of N nested arrays ("[[...]]"), then
//                     {"after":"deep"}, exit 0
//   nul               {"a":1}\0{"smuggled":true} trailing garbage, then
//                     {"after":"nul"}, exit 0
//   disconnect        close the channel, then exit 0 after 50 ms
//   report            send {"channel_fd":..., "fds":[open fds > 2]}, then echo
#include <dirent.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <thread>

#include "fd_passing.hpp"
#include "json_lines.hpp"
#include "pdeathsig.hpp"

namespace ipc = kata::child_process::ipc;
using json = nlohmann::json;

namespace {

int g_fd = -1;

void send_raw(const std::string& bytes, int fd = -1) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n;
    if (off == 0 && fd >= 0) {
      const int one[1] = {fd};
      n = ipc::send_with_fds(g_fd, bytes, one);
    } else {
      n = ::send(g_fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ::_exit(121);  // parent gone
    off += size_t(n);
  }
}
void send_msg(const json& m) { send_raw(ipc::encode(m)); }

std::vector<int> open_fds() {
  std::vector<int> out;
  DIR* d = ::opendir("/proc/self/fd");
  const int own = ::dirfd(d);
  while (dirent* e = ::readdir(d)) {
    const int fd = std::atoi(e->d_name);
    if (e->d_name[0] != '.' && fd != own && fd > 2) out.push_back(fd);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void handle(const json& envelope, int fd) {
  const json& msg = envelope.contains("msg") ? envelope["msg"] : json();
  send_msg({{"cmd", "NODE_HANDLE_ACK"}});
  if (msg.is_object() && msg.contains("write")) {
    const std::string text = msg["write"];
    (void)!::write(fd, text.data(), text.size());
  }
  if (msg.is_object() && msg.value("accept", false)) {
    const int conn = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn >= 0) {
      (void)!::write(conn, "hello\n", 6);
      ::close(conn);
    }
  }
  send_raw(ipc::encode({{"cmd", "NODE_HANDLE"}, {"type", "fd"}, {"msg", {{"handled", msg}}}}), fd);
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  kata_helpers::die_with_parent();
  const char* env = std::getenv("NODE_CHANNEL_FD");
  if (env == nullptr) return 70;
  g_fd = std::atoi(env);
  const std::string mode = argc > 1 ? argv[1] : "echo";

  if (mode == "die-mid-message") {
    send_raw("{\"partial\":");
    return 3;
  }
  if (mode == "garbage") {
    send_raw("this is not json\n");
    send_msg({{"after", "garbage"}});
    return 0;
  }
  if (mode == "oversized" && argc > 2) {
    std::string big = "\"";
    big.append(size_t(std::atol(argv[2])), 'x').append("\"\n");
    send_raw(big);
    send_msg({{"after", "oversized"}});
    return 0;
  }
  if (mode == "deep") {
    for (int i = 2; i < argc; ++i) {
      const size_t depth = size_t(std::atol(argv[i]));
      send_raw(std::string(depth, '[') + std::string(depth, ']') + "\n");
    }
    send_msg({{"after", "deep"}});
    return 0;
  }
  if (mode == "nul") {
    send_raw(std::string("{\"a\":1}\0{\"smuggled\":true} trailing garbage\n", 43));
    send_msg({{"after", "nul"}});
    return 0;
  }
  if (mode == "disconnect") {
    ::close(g_fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return 0;
  }
  if (mode == "send-and-exit" && argc > 2) {
    for (int i = 1; i <= std::atoi(argv[2]); ++i) send_msg({{"n", i}});
    return 0;
  }
  if (mode == "send-first" && argc > 2) {
    for (int i = 1; i <= std::atoi(argv[2]); ++i) send_msg({{"n", i}});
  }
  if (mode == "report") {
    send_msg({{"channel_fd", env}, {"fds", open_fds()}});
  }

  ipc::LineDecoder decoder;
  std::deque<int> fds;  // handles in arrival order, claimed by NODE_HANDLE frames
  char buf[65536];
  for (;;) {
    ipc::Received r = ipc::recv_with_fds(g_fd, buf, sizeof buf);
    if (r.bytes < 0 && errno == EINTR) continue;
    if (r.bytes <= 0) break;  // parent disconnected (or died)
    for (int fd : r.fds) fds.push_back(fd);
    for (auto& frame : decoder.feed(std::string_view(buf, size_t(r.bytes)))) {
      if (!frame.message) continue;
      const json& m = *frame.message;
      if (m.is_object() && m.value("cmd", "") == "NODE_HANDLE") {
        if (fds.empty()) return 72;  // a handle frame without its fd: protocol bug
        const int fd = fds.front();
        fds.pop_front();
        handle(m, fd);
      } else if (m.is_object() && m.value("cmd", "") == "NODE_HANDLE_ACK") {
        // our echoed handle was received: nothing to keep
      } else if (m.is_object() && m.value("cmd", "") == "exit") {
        return m.value("code", 0);
      } else {
        send_msg(m);
      }
    }
  }
  for (int fd : fds) ::close(fd);
  return 0;
}
