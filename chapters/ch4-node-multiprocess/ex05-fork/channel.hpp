// The IPC channel fork() sets up: one end of a socketpair, on the loop.
//
// Both sides use the same class: the parent's ChildProcess and the child's
// ProcessChannel each own a Channel that emits on them:
//   "message"         (ipc::json msg, int handle)  handle = -1, or a
//                     received fd that is now yours to close
//   "internalMessage" (ipc::json msg)   {"cmd":"NODE_..."} (cluster uses these)
//   "error"           (std::exception_ptr)   IpcError; the channel goes on.
//                     code "ERR_IPC_FRAME": a malformed, oversized, too deep
//                     or truncated frame (dropped); "ERR_IPC_STRAY_FD": fds
//                     no message may take (closed at once); "ERR_IPC_HANDLE_LOST":
//                     a NODE_HANDLE frame whose fd did not arrive (it is still
//                     delivered, with handle -1, and still ACKed)
//   "disconnect"      ()                     the channel is closed (either side)
//
// Wire (exercise 4): one JSON text per line. A handle travels as
// {"cmd":"NODE_HANDLE","type":"fd","msg":<msg>} with the fd on the frame's
// first byte; the receiver answers {"cmd":"NODE_HANDLE_ACK"}. As in Node,
// one handle is in flight at a time: later messages wait for the ACK.
//
// The bytes and fds themselves move through a ChannelSocket (given,
// channel_socket.hpp): it writes the frames queued on it and reads whole
// frames, each with the fd that came with it. This class is the Node part
// (lib/internal/child_process.js's setupChannel): what is sent when, what a
// frame means, and the order in which events reach the target.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "channel_socket.hpp"
#include "event_emitter.hpp"
#include "json_lines.hpp"
#include "node_runtime.hpp"

namespace kata::child_process {

class IpcError : public std::runtime_error {
 public:
  explicit IpcError(const std::string& what, std::string error_code = "ERR_IPC_FRAME")
      : std::runtime_error(what), code(std::move(error_code)) {}
  std::string code;
};

class Channel : public std::enable_shared_from_this<Channel> {
 public:
  // Takes ownership of fd (made non-blocking). Events go to `target`, which
  // the channel keeps alive until it has emitted 'disconnect'.
  Channel(kata::node::Loop& loop, int fd, std::shared_ptr<kata::events::EventEmitter> target,
          std::size_t max_frame = ipc::kDefaultMaxFrame)
      : loop_(loop), socket_(loop, fd, max_frame), target_(std::move(target)) {}
  // Closes the fds nobody will ever get: our copies of handles not yet
  // ACKed or not yet sent, handles received but not delivered.
  ~Channel() {
    drop_frames(held_);
    if (in_flight_fd_ >= 0) ::close(in_flight_fd_);
    for (auto& in : inbox_)
      if (in.fd >= 0) ::close(in.fd);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  void start();  // begins reading
  // Queues one message (and a copy of `handle` if >= 0). False when closed.
  // Throws std::invalid_argument for a message without a JSON text.
  bool send(const ipc::json& message, int handle = -1);
  // Stops reading; closes once queued messages are written; 'disconnect'.
  void disconnect();
  bool connected() const { return socket_.is_open() && !disconnecting_; }
  // Someone listens to "message" now: deliver what was buffered.
  void listener_added() { schedule_delivery(); }
  // Whether an open channel keeps the loop alive (it always does while
  // messages wait to be written). Parent side: yes; child side: only
  // while it listens for messages.
  void set_keep_alive(bool keep);
  // Called once, right after 'disconnect' was emitted (ChildProcess: close).
  std::function<void()> on_closed;

 private:
  // One event to deliver, in order.
  struct In {
    enum Kind { Message, Internal, Error, Disconnect } kind;
    ipc::json msg{};
    int fd = -1;                         // a Message's handle (ours until delivered)
    std::string error{};                 // an Error's text
    std::string code = "ERR_IPC_FRAME";  // IpcError::code of an Error
  };

  void on_io(int events);
  void read_some();
  void on_frame(ipc::json msg, int fd);
  void report(std::string text, std::string code = "ERR_IPC_FRAME");
  void on_ack();
  void flush_writes();
  void update_watch();
  void close_now();
  void schedule_delivery();
  void deliver();

  kata::node::Loop& loop_;
  ChannelSocket socket_;
  std::shared_ptr<kata::events::EventEmitter> target_;
  std::deque<Outgoing> held_;  // sent while a handle awaits its ACK: they wait behind it
  bool awaiting_ack_ = false;  // a handle of ours is queued or sent, not ACKed yet
  int in_flight_fd_ = -1;      // our copy of that handle, once written (closed at the ACK)
  std::deque<In> inbox_;       // to deliver, in order; messages wait for a listener
  bool delivery_scheduled_ = false;
  bool disconnecting_ = false;
  bool keep_alive_ = true;
  bool closed_ = false;
  bool corked_ = false;  // deliver() is running: send() queues, deliver() writes
};

}  // namespace kata::child_process
