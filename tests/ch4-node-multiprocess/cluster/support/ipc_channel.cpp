#include "ipc_channel.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kata::cluster {

Channel::Channel(node::Loop& loop, int fd) : loop_(loop), fd_(fd) {
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  watcher_ = loop_.watch_fd(fd_);
  update_watch();
}

Channel::~Channel() {
  *alive_ = false;
  for (auto& o : out_)
    if (o.fd >= 0) ::close(o.fd);
  for (int f : in_fds_) ::close(f);
  if (state_ != State::closed) {
    if (!watcher_->is_closing()) watcher_->close();
    ::close(fd_);
  }
}

void Channel::ref() { watcher_->ref(); }
void Channel::unref() { watcher_->unref(); }

bool Channel::send(const Json& msg, int fd) {
  if (state_ != State::open) return false;
  Out o;
  Json copy = msg;
  if (fd >= 0) {
    copy["_fd"] = true;
    o.fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  }
  o.bytes = copy.dump() + "\n";
  out_.push_back(std::move(o));
  flush();
  if (state_ != State::closed) update_watch();
  return true;
}

void Channel::close() {
  if (state_ != State::open) return;
  state_ = State::closing;
  if (out_.empty()) return finish();
  update_watch();  // stop reading; keep writing until the queue is empty
}

void Channel::update_watch() {
  if (state_ == State::closed || watcher_->is_closing()) return;
  int events = state_ == State::open ? node::kReadable : 0;
  if (!out_.empty()) events |= node::kWritable;
  auto alive = alive_;
  if (events == 0) {
    watcher_->stop();
    return;
  }
  watcher_->start(events, [this, alive](int ev) {
    if (*alive) on_io(ev);
  });
}

void Channel::on_io(int events) {
  auto alive = alive_;
  if (events & node::kWritable) {
    flush();
    if (!*alive || state_ == State::closed) return;
    if (state_ == State::closing && out_.empty()) return finish();
    update_watch();
  }
  if ((events & (node::kReadable | node::kDisconnect)) && state_ == State::open) read_all();
}

void Channel::flush() {
  while (!out_.empty()) {
    Out& o = out_.front();
    iovec iov{o.bytes.data() + o.sent, o.bytes.size() - o.sent};
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    alignas(cmsghdr) char ctrl[CMSG_SPACE(sizeof(int))] = {};
    if (o.fd >= 0) {  // the fd rides on the first byte still unsent
      m.msg_control = ctrl;
      m.msg_controllen = sizeof ctrl;
      cmsghdr* c = CMSG_FIRSTHDR(&m);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &o.fd, sizeof(int));
    }
    const ssize_t n = ::sendmsg(fd_, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // EPIPE / ECONNRESET: the other side is gone; drop what is queued.
      for (auto& q : out_)
        if (q.fd >= 0) ::close(q.fd);
      out_.clear();
      if (state_ != State::closed) finish();
      return;
    }
    if (o.fd >= 0) {
      ::close(o.fd);
      o.fd = -1;
    }
    o.sent += static_cast<std::size_t>(n);
    if (o.sent == o.bytes.size()) out_.pop_front();
  }
}

void Channel::read_all() {
  auto alive = alive_;
  char buf[65536];
  for (;;) {
    iovec iov{buf, sizeof buf};
    alignas(cmsghdr) char ctrl[CMSG_SPACE(sizeof(int) * 16)];
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctrl;
    m.msg_controllen = sizeof ctrl;
    const ssize_t n = ::recvmsg(fd_, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {  // EOF or error: the other end is gone
      in_.clear();
      return finish();
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (std::size_t i = 0; i < count; ++i) {
        int f;
        std::memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof f);
        in_fds_.push_back(f);
      }
    }
    in_.append(buf, static_cast<std::size_t>(n));
    // Deliver every complete line; a callback may close or destroy us.
    std::size_t start = 0;
    for (std::size_t nl; (nl = in_.find('\n', start)) != std::string::npos;) {
      Json msg = Json::parse(in_.begin() + long(start), in_.begin() + long(nl), nullptr, false);
      start = nl + 1;
      int fd = -1;
      if (msg.is_object() && msg.contains("_fd")) {
        msg.erase("_fd");
        if (!in_fds_.empty()) {
          fd = in_fds_.front();
          in_fds_.pop_front();
        }
      }
      if (msg.is_discarded()) continue;
      if (on_message_) {
        in_.erase(0, start);
        start = 0;
        on_message_(std::move(msg), fd);
        if (!*alive || state_ != State::open) return;
      } else if (fd >= 0) {
        ::close(fd);
      }
    }
    in_.erase(0, start);
  }
}

void Channel::finish() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  auto alive = alive_;
  const int fd = fd_;
  auto cb = on_close_;
  watcher_->close([fd, alive, cb] {
    ::close(fd);
    if (*alive && cb) cb();
  });
}

}  // namespace kata::cluster
