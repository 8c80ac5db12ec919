#include "channel.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "fd_passing.hpp"
#include "kata/todo.hpp"

namespace kata::child_process {

using kata::node::kReadable;
using kata::node::kWritable;

// ---- given ---------------------------------------------------------------------------
Channel::Channel(kata::node::Loop& loop, int fd, std::shared_ptr<kata::events::EventEmitter> target,
                 std::size_t max_frame)
    : loop_(loop), fd_(fd), target_(std::move(target)), decoder_(max_frame) {
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

Channel::~Channel() {
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  if (fd_ >= 0) ::close(fd_);
  for (auto* q : {&out_, &held_})
    for (auto& o : *q)
      if (o.fd >= 0) ::close(o.fd);
  if (in_flight_fd_ >= 0) ::close(in_flight_fd_);
  for (int fd : in_fds_) ::close(fd);
  for (auto& in : inbox_)
    if (in.fd >= 0) ::close(in.fd);
}

// ---- your part ---------------------------------------------------------------------

void Channel::start() { KATA_TODO("watch fd_ (loop_.watch_fd) and update_watch()"); }

void Channel::set_keep_alive(bool keep) {
  (void)keep;
  KATA_TODO("remember it; update_watch()");
}

void Channel::update_watch() {
  KATA_TODO("readable unless disconnecting, writable while out_ has frames; ref() when keep_alive_, "
            "writes pending or a handle awaits its ACK, else unref() (hint 1)");
}

bool Channel::send(const ipc::json& message, int handle) {
  (void)message, (void)handle;
  KATA_TODO("false when not connected; encode (a handle: dup it with F_DUPFD_CLOEXEC, wrap the message in "
            "{\"cmd\":\"NODE_HANDLE\",\"type\":\"fd\",\"msg\":...}); hold it behind a handle in flight, "
            "else queue and flush_writes() (hint 2)");
}

void Channel::flush_writes() {
  KATA_TODO("send frames until EAGAIN: the first byte of a handle frame with send_with_fds; keep the dup "
            "until the ACK; EPIPE closes; a pending disconnect closes once out_ is empty (hint 2)");
}

void Channel::on_io(int events) {
  (void)events;
  KATA_TODO("writable: flush_writes(); readable (or kDisconnect): read_some()");
}

void Channel::read_some() {
  KATA_TODO("recv_with_fds until EAGAIN: fds into in_fds_, bytes into the decoder, frames to on_frame or "
            "Error items; 0 = EOF: decoder_.finish() (truncated frame?) and close_now(); then "
            "schedule_delivery() (hint 3)");
}

void Channel::on_frame(ipc::json msg) {
  (void)msg;
  KATA_TODO("NODE_HANDLE: pop an fd from in_fds_, queue an ACK ahead of everything, inbox a Message with "
            "the fd; NODE_HANDLE_ACK: on_ack(); other NODE_ cmd: Internal; else a Message (hint 3)");
}

void Channel::on_ack() {
  KATA_TODO("close our copy of the handle; release held_ up to and including the next handle; flush");
}

void Channel::disconnect() {
  KATA_TODO("no-op unless connected; stop reading; drop held_; close now, or after out_ is written");
}

void Channel::close_now() {
  KATA_TODO("once: close the watcher, then the fd; close every fd still queued or received; inbox a "
            "Disconnect; schedule_delivery()");
}

void Channel::schedule_delivery() {
  KATA_TODO("once per batch: loop_.next_tick(deliver) (Node emits messages from nextTick)");
}

void Channel::deliver() {
  KATA_TODO("emit the inbox in order on target_; stop at a Message while nobody listens to \"message\" "
            "(drop it instead once the channel is closed); after \"disconnect\": on_closed(), then let "
            "target_ go (hint 4)");
}

}  // namespace kata::child_process
