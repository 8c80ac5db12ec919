// Fuzzes the fd-passing reader of the IPC wire (ch4 ex04: send_with_fds /
// recv_with_fds) through a real AF_UNIX socketpair, read much as fork()'s
// channel reads it (ch4 ex05, ChannelSocket::read in channel_socket.cpp:
// recv_with_fds, the bytes fed to the JSON-lines decoder). The channel binds
// each fd to the frame it arrived with; this reader only keeps them in
// arrival order, since what it checks is the wire: bytes, fds, no leak.
//
// Input: [read-size table][op]...  The read-size table (fuzz_input.hpp) cuts
// the receiving side: each recv_with_fds asks for size+1 bytes. Each op is
//   op byte: bits 0-1  fds attached: 0 none, 1 one, 2 two, 3 more than one
//                      read can take (kMaxFdsPerRead + 1: the receiver sees
//                      MSG_CTRUNC; send_with_fds must refuse them with E2BIG,
//                      so these go out through a raw sendmsg)
//            bit 2     drain the socket after this write
//   len byte, then len bytes of payload (len 0: send_with_fds must refuse
//   with EINVAL, as fds need a byte to ride on).
// Checked on every input: the bytes arrive unchanged and in order; every
// received fd is close-on-exec and is the file that was sent; without
// MSG_CTRUNC every fd sent arrives; a truncated read hands out no fd; and
// no fd is left open afterwards (the process's fd count is the same before
// and after the input).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "fd_passing.hpp"
#include "fuzz_input.hpp"
#include "json_lines.hpp"
#include "kata/raw_fds.hpp"

namespace ipc = kata::child_process::ipc;

namespace {

std::size_t open_fds() {
  std::size_t n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  KATA_FUZZ_CHECK(d != nullptr, "cannot list /proc/self/fd: %s", std::strerror(errno));
  while (::readdir(d) != nullptr) ++n;  // ".", ".." and the DIR's own fd: the same every time
  ::closedir(d);
  return n;
}

struct Run {
  int tx = -1, rx = -1;     // socketpair: writer, reader (non-blocking both)
  ino_t sent_ino = 0;       // the file every fd sent refers to
  std::string sent, received;
  std::size_t fds_sent = 0, fds_received = 0;
  bool truncated = false;
  bool eof = false;
  std::deque<int> fds;      // received, not yet claimed by a NODE_HANDLE frame
  ipc::LineDecoder decoder;

  void take_fd(int fd) {
    struct stat st{};
    KATA_FUZZ_CHECK(::fstat(fd, &st) == 0, "received fd %d is not open", fd);
    KATA_FUZZ_CHECK(st.st_ino == sent_ino, "received fd %d is not the file that was sent", fd);
    const int flags = ::fcntl(fd, F_GETFD);
    KATA_FUZZ_CHECK(flags >= 0 && (flags & FD_CLOEXEC), "received fd %d is not close-on-exec", fd);
    ++fds_received;
    fds.push_back(fd);
  }

  void on_frames(std::vector<ipc::Frame> frames) {
    for (auto& f : frames) {
      if (!f.message || !f.message->is_object()) continue;
      const auto cmd = f.message->find("cmd");
      if (cmd == f.message->end() || *cmd != "NODE_HANDLE" || fds.empty()) continue;
      ::close(fds.front());  // the message's new owner would close it
      fds.pop_front();
    }
  }

  // One recv_with_fds; false once nothing more is available (EAGAIN or EOF).
  bool read_once(std::size_t want) {
    char buf[256];
    const ipc::Received r = ipc::recv_with_fds(rx, buf, want);
    if (r.bytes < 0) {
      KATA_FUZZ_CHECK(errno == EAGAIN || errno == EWOULDBLOCK, "recv_with_fds: %s", std::strerror(errno));
      KATA_FUZZ_CHECK(r.fds.empty(), "a failed read handed out fds");
      return false;
    }
    KATA_FUZZ_CHECK(std::size_t(r.bytes) <= want, "read %zd bytes into %zu", r.bytes, want);
    if (r.fds_truncated) {
      KATA_FUZZ_CHECK(r.fds.empty(), "a truncated read handed out %zu fds", r.fds.size());
      truncated = true;
    }
    for (int fd : r.fds) take_fd(fd);
    if (r.bytes == 0) {
      eof = true;
      return false;
    }
    received.append(buf, std::size_t(r.bytes));
    on_frames(decoder.feed(std::string_view(buf, std::size_t(r.bytes))));
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::size_t fds_before = open_fds();
  {
    kata::fuzz::Input in(data, size);
    kata::fuzz::Chunker reads(in);
    Run run;
    int sv[2];
    ipc::socket_pair(sv);
    run.tx = sv[0];
    run.rx = sv[1];
    for (int fd : sv) KATA_FUZZ_CHECK(::fcntl(fd, F_GETFD) & FD_CLOEXEC, "socket_pair() end not close-on-exec");
    ::fcntl(run.tx, F_SETFL, O_NONBLOCK);
    ::fcntl(run.rx, F_SETFL, O_NONBLOCK);
    int pipe_fds[2];
    KATA_FUZZ_CHECK(::pipe2(pipe_fds, O_CLOEXEC) == 0, "pipe2: %s", std::strerror(errno));
    struct stat st{};
    ::fstat(pipe_fds[0], &st);
    run.sent_ino = st.st_ino;

    auto drain = [&] { while (run.read_once(reads.next() + 1)) {} };

    while (!in.empty()) {
      const std::uint8_t op = in.byte();
      const std::string_view payload = in.take(in.byte());
      std::vector<int> attach(op & 3, pipe_fds[0]);
      if ((op & 3) == 3) attach.assign(ipc::kMaxFdsPerRead + 1, pipe_fds[0]);
      if (payload.empty()) {
        errno = 0;
        KATA_FUZZ_CHECK(ipc::send_with_fds(run.tx, payload, attach) == -1 && errno == EINVAL,
                        "send_with_fds sent an empty message");
        continue;
      }
      if (attach.size() > ipc::kMaxFdsPerRead) {
        errno = 0;
        KATA_FUZZ_CHECK(ipc::send_with_fds(run.tx, payload, attach) == -1 && errno == E2BIG,
                        "send_with_fds took %zu fds (max %zu)", attach.size(), ipc::kMaxFdsPerRead);
      }
      for (std::size_t off = 0; off < payload.size();) {
        const std::string_view rest = payload.substr(off);
        ssize_t n;
        if (attach.size() > ipc::kMaxFdsPerRead) {
          // What a peer not using send_with_fds may send: more fds than a read takes.
          n = kata::raw_send_fds(run.tx, rest, attach);
        } else {
          n = ipc::send_with_fds(run.tx, rest, attach);
        }
        if (n < 0) {
          // EAGAIN: the socket is full. ETOOMANYREFS: more fds in flight
          // than RLIMIT_NOFILE allows. Either way the reader makes room.
          KATA_FUZZ_CHECK(errno == EAGAIN || errno == EWOULDBLOCK || errno == ETOOMANYREFS, "send: %s",
                          std::strerror(errno));
          const std::size_t had = run.received.size();
          drain();
          KATA_FUZZ_CHECK(run.received.size() > had, "a full socket had nothing to read");
          continue;
        }
        KATA_FUZZ_CHECK(n > 0 && std::size_t(n) <= rest.size(), "sent %zd of %zu bytes", n, rest.size());
        run.sent.append(rest.substr(0, std::size_t(n)));
        run.fds_sent += attach.size();
        attach.clear();  // they went with the first byte sent
        off += std::size_t(n);
      }
      if (op & 4) drain();
    }
    ::close(run.tx);  // EOF for the reader
    run.tx = -1;
    while (!run.eof) {
      if (!run.read_once(reads.next() + 1)) {
        KATA_FUZZ_CHECK(run.eof, "reader saw EAGAIN after the writer closed");
      }
    }
    run.decoder.finish();

    KATA_FUZZ_CHECK(run.received == run.sent, "bytes changed in transit: sent %zu, received %zu", run.sent.size(),
                    run.received.size());
    if (run.truncated) {
      KATA_FUZZ_CHECK(run.fds_received < run.fds_sent, "MSG_CTRUNC although every fd arrived");
    } else {
      KATA_FUZZ_CHECK(run.fds_received == run.fds_sent, "sent %zu fds, received %zu", run.fds_sent, run.fds_received);
    }
    for (int fd : run.fds) ::close(fd);  // as the channel does with fds no frame claimed
    ::close(run.rx);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
  }
  const std::size_t fds_after = open_fds();
  KATA_FUZZ_CHECK(fds_after == fds_before, "%zu fds open before the input, %zu after", fds_before, fds_after);
  return 0;
}
