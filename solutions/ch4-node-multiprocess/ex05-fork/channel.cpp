#include "channel.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "fd_passing.hpp"

namespace kata::child_process {

using kata::node::kReadable;
using kata::node::kWritable;

Channel::Channel(kata::node::Loop& loop, int fd, std::shared_ptr<kata::events::EventEmitter> target,
                 std::size_t max_frame)
    : loop_(loop), fd_(fd), target_(std::move(target)), decoder_(max_frame) {
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

Channel::~Channel() {
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  if (fd_ >= 0) ::close(fd_);
  // Fds nobody will ever get: ours in flight, received but undelivered.
  for (auto* q : {&out_, &held_})
    for (auto& o : *q)
      if (o.fd >= 0) ::close(o.fd);
  if (in_flight_fd_ >= 0) ::close(in_flight_fd_);
  for (int fd : attached_.fds) ::close(fd);
  for (auto& in : inbox_)
    if (in.fd >= 0) ::close(in.fd);
}

void Channel::start() {
  watcher_ = loop_.watch_fd(fd_);
  update_watch();
}

void Channel::set_keep_alive(bool keep) {
  keep_alive_ = keep;
  update_watch();
}

void Channel::update_watch() {
  if (!watcher_ || fd_ < 0) return;
  int events = disconnecting_ ? 0 : kReadable;
  if (!out_.empty()) events |= kWritable;
  // Pending writes or an ACK we wait for always keep the loop alive.
  const bool ref = keep_alive_ || !out_.empty() || in_flight_fd_ != -1;
  // Touch the watcher only on a change: re-arming costs an epoll_ctl, and
  // this runs after every send.
  if (events != watched_events_) {
    watched_events_ = events;
    if (events == 0) {
      watcher_->stop();
    } else {
      // The callback holds the channel (and so its target) while it watches.
      watcher_->start(events, [self = shared_from_this()](int ev) { self->on_io(ev); });
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

bool Channel::send(const ipc::json& message, int handle) {
  if (!connected()) return false;
  Out o;
  if (handle >= 0) {
    // A copy of our own: the caller keeps (and closes) theirs; ours is
    // closed when the receiver ACKs (Node closes the sent handle then too).
    o.fd = ::fcntl(handle, F_DUPFD_CLOEXEC, 0);
    if (o.fd < 0) throw std::invalid_argument("send: not a valid handle fd");
    o.handle = true;
    try {
      o.bytes = ipc::encode({{"cmd", "NODE_HANDLE"}, {"type", "fd"}, {"msg", message}});
    } catch (...) {
      ::close(o.fd);
      throw;
    }
  } else {
    o.bytes = ipc::encode(message);
  }
  if (in_flight_fd_ != -1 || !held_.empty()) {
    held_.push_back(std::move(o));  // keeps the order behind the handle in flight
    return true;
  }
  if (o.handle) in_flight_fd_ = -2;  // marked; the dup stays with the frame until written
  out_.push_back(std::move(o));
  if (!corked_) flush_writes();  // else deliver() writes them all when its listeners are done
  return true;
}

void Channel::flush_writes() {
  while (fd_ >= 0 && !out_.empty()) {
    Out& first = out_.front();
    const bool with_handle = first.off == 0 && first.fd >= 0;
    ssize_t n;
    if (with_handle) {
      const int fds[1] = {first.fd};
      n = ipc::send_with_fds(fd_, first.bytes, fds);
    } else {
      // Every frame queued up to the next handle in one sendmsg: the
      // replies one delivery produced cost one system call (and one
      // wake-up of the peer), not one each.
      constexpr int kMaxBatch = 64;
      iovec iov[kMaxBatch];
      int count = 0;
      for (Out& o : out_) {
        if (count == kMaxBatch || (count > 0 && o.fd >= 0)) break;
        iov[count++] = {o.bytes.data() + o.off, o.bytes.size() - o.off};
      }
      msghdr mh{};
      mh.msg_iov = iov;
      mh.msg_iovlen = size_t(count);
      n = ::sendmsg(fd_, &mh, MSG_NOSIGNAL);
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;  // the poll phase tells us when
    if (n < 0) {  // EPIPE, ECONNRESET: the other side is gone
      close_now();
      return;
    }
    if (with_handle) {
      // The fd went with the first byte: keep our copy until the ACK.
      in_flight_fd_ = first.fd;
      first.fd = -1;
    }
    // A short write may end inside any frame: consume what went out.
    for (std::size_t left = std::size_t(n); left > 0;) {
      Out& o = out_.front();
      const std::size_t take = std::min(left, o.bytes.size() - o.off);
      o.off += take;
      left -= take;
      if (o.off == o.bytes.size()) out_.pop_front();
    }
  }
  if (fd_ >= 0 && disconnecting_ && out_.empty()) {
    close_now();  // disconnect() waited for these writes
    return;
  }
  update_watch();
}

void Channel::on_io(int events) {
  if (events & kWritable) flush_writes();
  if (fd_ >= 0 && !disconnecting_ && (events & (kReadable | kata::node::kDisconnect))) read_some();
}

void Channel::read_some() {
  char buf[64 * 1024];
  for (int i = 0; i < 16 && fd_ >= 0; ++i) {
    ipc::Received r = ipc::recv_with_fds(fd_, buf, sizeof buf);
    if (r.bytes < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (r.bytes <= 0) {  // EOF (or an error): the peer closed or died
      if (auto err = decoder_.finish()) {
        if (const std::size_t n = attached_.fds.size() + attached_.extra)
          *err += "; the " + std::to_string(n) + " fd(s) sent with it were closed";
        report(*err);
      }
      close_now();  // closes what is still attached
      break;
    }
    const std::string_view bytes(buf, size_t(r.bytes));
    Attached att{.fds = std::move(r.fds), .truncated = r.fds_truncated};
    if (!att.any()) {
      on_frames(decoder_.feed(bytes));
    } else {
      // The kernel ends a read right after the write that carried fds, and
      // glues earlier writes before it: the fds belong to the last frame
      // that starts in these bytes, not to whichever frame comes next.
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
        stray(att, "they came with bytes that start no frame");
        on_frames(decoder_.feed(bytes));
      } else {
        on_frames(decoder_.feed(bytes.substr(0, start)));  // frames that ended before it
        attached_ = std::move(att);                          // taken by the frame starting here
        on_frames(decoder_.feed(bytes.substr(start)));
      }
    }
    // A short read drained the socket: don't pay a syscall to hear EAGAIN
    // (the watcher is level-triggered: more data would wake us again).
    if (size_t(r.bytes) < sizeof buf) break;
  }
  schedule_delivery();
}

void Channel::on_frames(std::vector<ipc::Frame> frames) {
  for (auto& frame : frames) {
    // What was attached belongs to the frame it started with: the first
    // one to complete from here. The frames after it came without.
    Attached att = std::exchange(attached_, Attached{});
    if (frame.message) {
      on_frame(std::move(*frame.message), std::move(att));
    } else {
      if (const std::size_t n = att.fds.size() + att.extra)
        frame.error += "; the " + std::to_string(n) + " fd(s) sent with it were closed";
      for (int fd : att.fds) ::close(fd);
      report(std::move(frame.error));
    }
  }
}

void Channel::on_frame(ipc::json msg, Attached att) {
  const std::string cmd = msg.is_object() && msg.contains("cmd") && msg["cmd"].is_string() ? msg["cmd"].get<std::string>() : "";
  if (cmd == "NODE_HANDLE") {
    int fd = -1;
    if (!att.fds.empty()) {
      fd = att.fds.front();
      if (att.extra > 0)
        report(std::to_string(att.extra) + " extra fd(s) sent with one message were closed (a message carries at most " +
                   std::to_string(kMaxFdsPerMessage) + ")",
               "ERR_IPC_STRAY_FD");
    } else {
      // Node answers NODE_HANDLE_NACK here and its sender retransmits (up
      // to 3 times). We have no retransmission: the message is delivered
      // with handle -1, the loss is an 'error', and the ACK below lets the
      // sender's queue move on.
      report(att.truncated ? "handle lost: the fd sent with a NODE_HANDLE message did not arrive (MSG_CTRUNC: "
                             "control data truncated; is this process at RLIMIT_NOFILE?)"
                           : "handle lost: a NODE_HANDLE message arrived without an fd",
             "ERR_IPC_HANDLE_LOST");
    }
    // ACK at once, ahead of anything we hold (else two sides sending
    // handles to each other would wait for each other forever).
    out_.push_back(Out{ipc::encode({{"cmd", "NODE_HANDLE_ACK"}}), -1, 0, false});
    flush_writes();
    inbox_.push_back({In::Message, msg.contains("msg") ? msg["msg"] : ipc::json(), fd, {}});
    return;
  }
  if (att.any()) stray(att, "they came with a message that is no NODE_HANDLE");
  if (cmd == "NODE_HANDLE_ACK") {
    on_ack();
  } else if (cmd.rfind("NODE_", 0) == 0) {
    inbox_.push_back({In::Internal, std::move(msg), -1, {}});
  } else {
    inbox_.push_back({In::Message, std::move(msg), -1, {}});
  }
}

void Channel::report(std::string text, std::string code) {
  inbox_.push_back({In::Error, {}, -1, std::move(text), std::move(code)});
}

void Channel::stray(Attached& att, const std::string& why) {
  if (att.truncated) {
    report("fds dropped by the kernel (MSG_CTRUNC: control data truncated); " + why, "ERR_IPC_STRAY_FD");
  } else {
    report(std::to_string(att.fds.size() + att.extra) + " fd(s) closed: " + why, "ERR_IPC_STRAY_FD");
  }
  for (int fd : att.fds) ::close(fd);
  att = Attached{};
}

void Channel::on_ack() {
  if (in_flight_fd_ >= 0) ::close(in_flight_fd_);
  in_flight_fd_ = -1;
  // Release what waited behind the handle, up to and including the next one.
  while (!held_.empty()) {
    Out o = std::move(held_.front());
    held_.pop_front();
    const bool handle = o.handle;
    out_.push_back(std::move(o));
    if (handle) {
      in_flight_fd_ = -2;
      break;
    }
  }
  flush_writes();
}

void Channel::disconnect() {
  if (!connected()) return;
  disconnecting_ = true;  // no more reading, no more sending
  for (auto& o : held_)
    if (o.fd >= 0) ::close(o.fd);
  held_.clear();
  if (out_.empty()) {
    close_now();
  } else {
    update_watch();  // writes finish first, then flush_writes() closes
  }
}

void Channel::close_now() {
  if (closed_) return;
  closed_ = true;
  if (watcher_) {
    auto w = std::move(watcher_);  // stop before the fd number can be reused
    w->close();
  }
  ::close(fd_);
  fd_ = -1;
  for (auto* q : {&out_, &held_}) {
    for (auto& o : *q)
      if (o.fd >= 0) ::close(o.fd);
    q->clear();
  }
  if (in_flight_fd_ >= 0) ::close(in_flight_fd_);
  in_flight_fd_ = -1;
  for (int fd : attached_.fds) ::close(fd);  // its frame will never complete
  attached_ = Attached{};
  inbox_.push_back({In::Disconnect, {}, -1, {}});
  schedule_delivery();
}

void Channel::schedule_delivery() {
  if (delivery_scheduled_ || inbox_.empty()) return;
  delivery_scheduled_ = true;
  // Node emits each message from process.nextTick, never inside the read.
  loop_.next_tick([self = shared_from_this()] {
    self->delivery_scheduled_ = false;
    self->deliver();
  });
}

void Channel::deliver() {
  // Messages sent by the listeners below are written together when they
  // are done (one sendmsg for the lot), still within this tick.
  struct Cork {
    Channel& c;
    explicit Cork(Channel& ch) : c(ch) { c.corked_ = true; }
    ~Cork() {
      c.corked_ = false;
      if (!c.out_.empty()) c.flush_writes();
    }
  } cork(*this);
  while (!inbox_.empty() && target_) {
    In& front = inbox_.front();
    if (front.kind == In::Message && target_->listener_count("message") == 0) {
      // A message waits for a listener (and so does what follows it) as
      // long as the channel is open. Once it closed, nobody will listen in
      // time: Node drops its pending messages at disconnect, and so do we.
      if (!closed_) return;
      if (front.fd >= 0) ::close(front.fd);
      inbox_.pop_front();
      continue;
    }
    In in = std::move(front);
    inbox_.pop_front();
    auto target = target_;  // a listener may drop its own reference
    switch (in.kind) {
      case In::Message:
        target->emit("message", std::move(in.msg), in.fd);
        break;
      case In::Internal:
        target->emit("internalMessage", std::move(in.msg));
        break;
      case In::Error:
        target->emit("error", std::make_exception_ptr(IpcError(in.error, in.code)));
        break;
      case In::Disconnect:
        target->emit("disconnect");
        if (on_closed) {
          auto cb = std::move(on_closed);
          on_closed = nullptr;
          cb();
        }
        target_.reset();  // no more events: let the target go
        break;
    }
  }
}

}  // namespace kata::child_process
