#include "channel.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace kata::child_process {

using kata::node::kDisconnect;
using kata::node::kReadable;
using kata::node::kWritable;

void Channel::start() {
  // `this` is safe: the socket (and its watcher) die with the channel, and
  // no listener runs inside on_io (events are delivered from a tick).
  socket_.start([this](int events) { on_io(events); });
  update_watch();
}

void Channel::set_keep_alive(bool keep) {
  keep_alive_ = keep;
  update_watch();
}

void Channel::update_watch() {
  // Read until disconnect(). Pending writes (the socket adds those) or an
  // ACK we wait for always keep the loop alive.
  socket_.watch(!disconnecting_, keep_alive_ || awaiting_ack_);
}

bool Channel::send(const ipc::json& message, int handle) {
  if (!connected()) return false;
  Outgoing out;
  if (handle < 0) {
    out.bytes = ipc::encode(message);
  } else {
    out.bytes = ipc::encode({{"cmd", "NODE_HANDLE"}, {"type", "fd"}, {"msg", message}});
    // A copy of our own: the caller keeps (and closes) theirs; ours is
    // closed when the receiver ACKs (Node closes the sent handle then too).
    out.fd = ::fcntl(handle, F_DUPFD_CLOEXEC, 0);
    if (out.fd < 0) throw std::invalid_argument("send: not a valid handle fd");
  }
  if (awaiting_ack_ || !held_.empty()) {
    held_.push_back(std::move(out));  // keeps the order behind the handle in flight
    return true;
  }
  awaiting_ack_ = out.fd >= 0;
  socket_.queue(std::move(out));
  if (!corked_) flush_writes();  // else deliver() writes them all when its listeners are done
  return true;
}

void Channel::flush_writes() {
  if (closed_) return;
  const ChannelSocket::Written w = socket_.write();
  if (w.sent_fd >= 0) in_flight_fd_ = w.sent_fd;  // it went with its frame: keep it until the ACK
  // The peer is gone (EPIPE), or disconnect() was waiting for these writes.
  if (w.peer_gone || (disconnecting_ && !socket_.writing())) return close_now();
  update_watch();
}

void Channel::on_io(int events) {
  if (events & kWritable) flush_writes();
  if (!closed_ && !disconnecting_ && (events & (kReadable | kDisconnect))) read_some();
}

void Channel::read_some() {
  socket_.read([this](Incoming in) {
    switch (in.kind) {
      case Incoming::Frame: return on_frame(std::move(in.msg), in.fd);
      case Incoming::Error: return report(std::move(in.error), std::move(in.code));  // dropped; the channel goes on
      case Incoming::End: return close_now();  // the peer closed or died
    }
  });
  schedule_delivery();
}

void Channel::on_frame(ipc::json msg, int fd) {
  const std::string cmd = command_of(msg);
  if (cmd == "NODE_HANDLE") {
    // ACK at once, with or without its fd, ahead of anything we hold (else
    // two sides sending handles to each other would wait for each other).
    socket_.queue({ipc::encode({{"cmd", "NODE_HANDLE_ACK"}})});
    flush_writes();
    inbox_.push_back({In::Message, msg.value("msg", ipc::json()), fd});
  } else if (cmd == "NODE_HANDLE_ACK") {
    on_ack();
  } else if (cmd.starts_with("NODE_")) {
    inbox_.push_back({In::Internal, std::move(msg)});
  } else {
    inbox_.push_back({In::Message, std::move(msg)});
  }
}

void Channel::report(std::string text, std::string code) {
  inbox_.push_back({In::Error, {}, -1, std::move(text), std::move(code)});
}

void Channel::on_ack() {
  if (in_flight_fd_ < 0) return;  // no handle of ours is out there: a stray ACK
  ::close(in_flight_fd_);         // the receiver has its own copy now
  in_flight_fd_ = -1;
  awaiting_ack_ = false;
  // Release what waited behind the handle, up to and including the next one.
  while (!held_.empty() && !awaiting_ack_) {
    awaiting_ack_ = held_.front().fd >= 0;
    socket_.queue(std::move(held_.front()));
    held_.pop_front();
  }
  flush_writes();
}

void Channel::disconnect() {
  if (!connected()) return;
  disconnecting_ = true;  // no more reading, no more sending
  drop_frames(held_);     // what waited behind a handle is never sent
  if (socket_.writing()) {
    update_watch();  // the queued writes finish first, then flush_writes() closes
  } else {
    close_now();
  }
}

void Channel::close_now() {
  if (closed_) return;
  closed_ = true;
  socket_.close();  // with every fd still queued on it
  drop_frames(held_);
  if (in_flight_fd_ >= 0) ::close(in_flight_fd_);
  in_flight_fd_ = -1;
  inbox_.push_back({In::Disconnect});
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
  corked_ = true;  // what the listeners send is written in one go when they are done
  while (!inbox_.empty() && target_) {
    if (inbox_.front().kind == In::Message && target_->listener_count("message") == 0) {
      // A message waits for a listener (and so does what follows it) as
      // long as the channel is open. Once it closed, nobody will listen in
      // time: Node drops its pending messages at disconnect, and so do we.
      if (!closed_) break;
      if (inbox_.front().fd >= 0) ::close(inbox_.front().fd);
      inbox_.pop_front();
      continue;
    }
    In in = std::move(inbox_.front());
    inbox_.pop_front();
    auto target = target_;  // a listener may drop its own reference
    if (in.kind == In::Message) {
      target->emit("message", std::move(in.msg), in.fd);
    } else if (in.kind == In::Internal) {
      target->emit("internalMessage", std::move(in.msg));
    } else if (in.kind == In::Error) {
      target->emit("error", std::make_exception_ptr(IpcError(in.error, in.code)));
    } else {
      target->emit("disconnect");
      if (auto cb = std::exchange(on_closed, nullptr)) cb();  // ChildProcess: 'close' waits for this
      target_.reset();  // no more events: let the target go
    }
  }
  corked_ = false;
  if (socket_.writing()) flush_writes();
}

}  // namespace kata::child_process
