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
  for (int fd : attached_.fds) ::close(fd);
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
  KATA_TODO("recv_with_fds until EAGAIN; bytes into the decoder, frames to on_frames(); fds (or MSG_CTRUNC) "
            "belong to the last frame that starts in this read: feed the bytes before it, set attached_, feed the "
            "rest; close those beyond kMaxFdsPerMessage at once (count them in att.extra); no frame starts here: "
            "stray(); 0 = EOF: decoder_.finish() (truncated frame?) and close_now(); then schedule_delivery() "
            "(hint 3)");
}

void Channel::on_frames(std::vector<ipc::Frame> frames) {
  (void)frames;
  KATA_TODO("each frame takes (std::exchange) attached_: the first to complete is the one it started with; a "
            "message goes to on_frame(msg, att), a bad frame is report()ed and its fd closed (hint 3)");
}

void Channel::on_frame(ipc::json msg, Attached att) {
  (void)msg, (void)att;
  KATA_TODO("NODE_HANDLE: its fd from att (none: report ERR_IPC_HANDLE_LOST, handle -1), queue an ACK ahead "
            "of everything either way, inbox a Message with the fd (att.extra > 0: report ERR_IPC_STRAY_FD first); "
            "any other frame with fds: stray(); "
            "NODE_HANDLE_ACK: on_ack(); other NODE_ cmd: Internal; else a Message (hint 3)");
}

void Channel::report(std::string text, std::string code) {
  (void)text, (void)code;
  KATA_TODO("inbox an Error item with this text and code");
}

void Channel::stray(Attached& att, const std::string& why) {
  (void)att, (void)why;
  KATA_TODO("report ERR_IPC_STRAY_FD (say MSG_CTRUNC if att.truncated), close att's fds, empty att");
}

void Channel::on_ack() {
  KATA_TODO("close our copy of the handle; release held_ up to and including the next handle; flush");
}

void Channel::disconnect() {
  KATA_TODO("no-op unless connected; stop reading; drop held_; close now, or after out_ is written");
}

void Channel::close_now() {
  KATA_TODO("once: close the watcher, then the fd; close every fd still queued or attached; inbox a "
            "Disconnect; schedule_delivery()");
}

void Channel::schedule_delivery() {
  KATA_TODO("once per batch: loop_.next_tick(deliver) (Node emits messages from nextTick)");
}

void Channel::deliver() {
  KATA_TODO("emit the inbox in order on target_ (an Error as IpcError(error, code)); stop at a Message while "
            "nobody listens to \"message\" "
            "(drop it instead once the channel is closed); after \"disconnect\": on_closed(), then let "
            "target_ go (hint 4)");
}

}  // namespace kata::child_process
