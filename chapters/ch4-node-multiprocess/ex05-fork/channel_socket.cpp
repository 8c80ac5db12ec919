// The byte level of a Channel (given): see channel_socket.hpp.
#include "channel_socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <utility>

#include "fd_passing.hpp"

namespace kata::child_process {

using kata::node::kReadable;
using kata::node::kWritable;

void drop_frames(std::deque<Outgoing>& frames) {
  for (auto& f : frames)
    if (f.fd >= 0) ::close(f.fd);
  frames.clear();
}

std::string command_of(const ipc::json& msg) {
  if (!msg.is_object()) return "";
  const auto it = msg.find("cmd");
  return it != msg.end() && it->is_string() ? it->get<std::string>() : "";
}

ChannelSocket::ChannelSocket(kata::node::Loop& loop, int fd, std::size_t max_frame)
    : loop_(loop), fd_(fd), decoder_(max_frame) {
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

ChannelSocket::~ChannelSocket() {
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  if (fd_ >= 0) ::close(fd_);
  for (auto& q : out_)
    if (q.fd >= 0) ::close(q.fd);
  for (int fd : attached_.fds) ::close(fd);
}

void ChannelSocket::start(std::function<void(int events)> on_io) {
  on_io_ = std::move(on_io);
  watcher_ = loop_.watch_fd(fd_);
}

void ChannelSocket::watch(bool reading, bool keep_alive) {
  if (!watcher_ || fd_ < 0) return;
  int events = reading ? kReadable : 0;
  if (!out_.empty()) events |= kWritable;
  const bool ref = keep_alive || !out_.empty();
  // Touch the watcher only on a change: re-arming costs an epoll_ctl, and
  // this runs after every send.
  if (events != watched_events_) {
    watched_events_ = events;
    if (events == 0) {
      watcher_->stop();
    } else {
      watcher_->start(events, on_io_);
    }
  }
  if (ref != watcher_->has_ref()) {
    if (ref) {
      watcher_->ref();
    } else {
      watcher_->unref();
    }
  }
}

void ChannelSocket::queue(Outgoing frame) {
  if (fd_ < 0) {
    if (frame.fd >= 0) ::close(frame.fd);
    return;
  }
  out_.push_back(Queued{std::move(frame.bytes), frame.fd, 0});
}

ChannelSocket::Written ChannelSocket::write() {
  Written result;
  while (fd_ >= 0 && !out_.empty()) {
    Queued& first = out_.front();
    const bool with_fd = first.off == 0 && first.fd >= 0;
    ssize_t n;
    if (with_fd) {
      const int fds[1] = {first.fd};
      n = ipc::send_with_fds(fd_, first.bytes, fds);
    } else {
      // Every frame queued up to the next one with an fd, in one sendmsg.
      constexpr int kMaxBatch = 64;
      iovec iov[kMaxBatch];
      int count = 0;
      for (Queued& q : out_) {
        if (count == kMaxBatch || (count > 0 && q.fd >= 0)) break;
        iov[count++] = {q.bytes.data() + q.off, q.bytes.size() - q.off};
      }
      msghdr mh{};
      mh.msg_iov = iov;
      mh.msg_iovlen = size_t(count);
      n = ::sendmsg(fd_, &mh, MSG_NOSIGNAL);
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;  // the poll phase tells us when
    if (n < 0) {
      result.peer_gone = true;
      break;
    }
    if (with_fd) {
      result.sent_fd = first.fd;  // it went with the first byte
      first.fd = -1;
    }
    // A short write may end inside any frame: consume what went out.
    for (std::size_t left = std::size_t(n); left > 0;) {
      Queued& q = out_.front();
      const std::size_t take = std::min(left, q.bytes.size() - q.off);
      q.off += take;
      left -= take;
      if (q.off == q.bytes.size()) out_.pop_front();
    }
    if (with_fd) break;  // one handle per call: its new owner takes it first
  }
  return result;
}

void ChannelSocket::read(const std::function<void(Incoming)>& on_item) {
  char buf[64 * 1024];
  for (int i = 0; i < 16 && fd_ >= 0; ++i) {
    ipc::Received r = ipc::recv_with_fds(fd_, buf, sizeof buf);
    if (r.bytes < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (r.bytes <= 0) {  // EOF (or an error): the peer closed or died
      if (auto err = decoder_.finish()) {
        if (const std::size_t n = attached_.fds.size() + attached_.extra)
          *err += "; the " + std::to_string(n) + " fd(s) sent with it were closed";
        for (int fd : attached_.fds) ::close(fd);
        attached_ = Attached{};
        on_item({Incoming::Error, {}, -1, std::move(*err), "ERR_IPC_FRAME"});
      }
      on_item({Incoming::End});
      break;
    }
    const std::string_view bytes(buf, size_t(r.bytes));
    Attached att{.fds = std::move(r.fds), .truncated = r.fds_truncated};
    if (!att.any()) {
      on_frames(decoder_.feed(bytes), on_item);
    } else {
      // The fds belong to the last frame that starts in these bytes, not to
      // whichever frame comes next.
      std::size_t start = std::string_view::npos;
      for (std::size_t q = bytes.size(); q-- > 0;) {
        if (bytes[q] != '\n' && (q == 0 ? !decoder_.mid_frame() : bytes[q - 1] == '\n')) {
          start = q;
          break;
        }
      }
      if (att.fds.size() > kMaxFdsPerMessage) {  // no message may take these: close them now
        att.extra = att.fds.size() - kMaxFdsPerMessage;
        for (std::size_t k = kMaxFdsPerMessage; k < att.fds.size(); ++k) ::close(att.fds[k]);
        att.fds.resize(kMaxFdsPerMessage);
      }
      if (start == std::string_view::npos) {
        const std::size_t n = att.fds.size() + att.extra;
        for (int fd : att.fds) ::close(fd);
        on_item({Incoming::Error, {}, -1,
                 att.truncated ? "fds dropped by the kernel (MSG_CTRUNC: control data truncated); they came with "
                                 "bytes that start no frame"
                               : std::to_string(n) + " fd(s) closed: they came with bytes that start no frame",
                 "ERR_IPC_STRAY_FD"});
        on_frames(decoder_.feed(bytes), on_item);
      } else {
        on_frames(decoder_.feed(bytes.substr(0, start)), on_item);  // frames that ended before it
        attached_ = std::move(att);                                  // taken by the frame starting here
        on_frames(decoder_.feed(bytes.substr(start)), on_item);
      }
    }
    // A short read drained the socket: don't pay a syscall to hear EAGAIN
    // (the watcher is level-triggered: more data would wake us again).
    if (size_t(r.bytes) < sizeof buf) break;
  }
}

void ChannelSocket::on_frames(std::vector<ipc::Frame> frames, const std::function<void(Incoming)>& on_item) {
  for (auto& frame : frames) {
    // What was attached belongs to the frame it started with: the first
    // one to complete from here. The frames after it came without.
    Attached att = std::exchange(attached_, Attached{});
    if (frame.message) {
      on_message(std::move(*frame.message), std::move(att), on_item);
    } else {
      if (const std::size_t n = att.fds.size() + att.extra)
        frame.error += "; the " + std::to_string(n) + " fd(s) sent with it were closed";
      for (int fd : att.fds) ::close(fd);
      on_item({Incoming::Error, {}, -1, std::move(frame.error), "ERR_IPC_FRAME"});
    }
  }
}

void ChannelSocket::on_message(ipc::json msg, Attached att, const std::function<void(Incoming)>& on_item) {
  const bool handle_frame = command_of(msg) == "NODE_HANDLE";
  int fd = -1;
  if (handle_frame && !att.fds.empty()) {
    fd = att.fds.front();
    if (att.extra > 0)
      on_item({Incoming::Error, {}, -1,
               std::to_string(att.extra) + " extra fd(s) sent with one message were closed (a message carries at most " +
                   std::to_string(kMaxFdsPerMessage) + ")",
               "ERR_IPC_STRAY_FD"});
  } else if (handle_frame) {
    // Node answers NODE_HANDLE_NACK here and its sender retransmits (up to
    // 3 times). There is no retransmission here: the message is still
    // delivered, with handle -1, and the loss is an 'error'.
    on_item({Incoming::Error, {}, -1,
             att.truncated ? "handle lost: the fd sent with a NODE_HANDLE message did not arrive (MSG_CTRUNC: "
                             "control data truncated; is this process at RLIMIT_NOFILE?)"
                           : "handle lost: a NODE_HANDLE message arrived without an fd",
             "ERR_IPC_HANDLE_LOST"});
  } else if (att.any()) {
    const std::string why = "they came with a message that is no NODE_HANDLE";
    const std::size_t n = att.fds.size() + att.extra;
    for (int f : att.fds) ::close(f);
    on_item({Incoming::Error, {}, -1,
             att.truncated ? "fds dropped by the kernel (MSG_CTRUNC: control data truncated); " + why
                           : std::to_string(n) + " fd(s) closed: " + why,
             "ERR_IPC_STRAY_FD"});
  }
  on_item({Incoming::Frame, std::move(msg), fd});
}

void ChannelSocket::close() {
  if (watcher_) {
    auto w = std::move(watcher_);  // stop before the fd number can be reused
    w->close();
  }
  on_io_ = nullptr;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  for (auto& q : out_)
    if (q.fd >= 0) ::close(q.fd);
  out_.clear();
  for (int fd : attached_.fds) ::close(fd);  // its frame will never complete
  attached_ = Attached{};
}

}  // namespace kata::child_process
