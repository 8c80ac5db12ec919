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
// Which frame received fds belong to: the kernel glues the bytes of earlier
// writes before the write that carried fds into one read, but ends the read
// right after it. So the fds of a read belong to the last frame that starts
// in that read (Node, and this channel, send a handle frame alone in its
// write). That frame takes at most kMaxFdsPerMessage of them if it is a
// NODE_HANDLE; every other fd is closed at once and reported.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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

// Fds one message may bring: Node sends exactly one handle per NODE_HANDLE
// message. More would be fds the receiver holds without knowing why.
inline constexpr std::size_t kMaxFdsPerMessage = 1;

class Channel : public std::enable_shared_from_this<Channel> {
 public:
  // Takes ownership of fd (made non-blocking). Events go to `target`, which
  // the channel keeps alive until it has emitted 'disconnect'.
  Channel(kata::node::Loop& loop, int fd, std::shared_ptr<kata::events::EventEmitter> target,
          std::size_t max_frame = ipc::kDefaultMaxFrame);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  void start();  // begins reading
  // Queues one message (and a copy of `handle` if >= 0). False when closed.
  // Throws std::invalid_argument for a message without a JSON text.
  bool send(const ipc::json& message, int handle = -1);
  // Stops reading; closes once queued messages are written; 'disconnect'.
  void disconnect();
  bool connected() const { return fd_ >= 0 && !disconnecting_; }
  // Someone listens to "message" now: deliver what was buffered.
  void listener_added() { schedule_delivery(); }
  // Whether an open channel keeps the loop alive (it always does while
  // messages wait to be written). Parent side: yes; child side: only
  // while it listens for messages.
  void set_keep_alive(bool keep);
  // Called once, right after 'disconnect' was emitted (ChildProcess: close).
  std::function<void()> on_closed;

 private:
  struct Out {
    std::string bytes;
    int fd = -1;       // our dup of a handle sent with this frame
    std::size_t off = 0;
    bool handle = false;
  };
  struct In {
    enum Kind { Message, Internal, Error, Disconnect } kind;
    ipc::json msg;
    int fd = -1;
    std::string error;
    std::string code = "ERR_IPC_FRAME";  // IpcError::code of an Error
  };
  // What came with the read in which a frame started: its fds (at most
  // kMaxFdsPerMessage, the rest closed at once), or the news that the
  // kernel dropped them (MSG_CTRUNC).
  struct Attached {
    std::vector<int> fds;
    std::size_t extra = 0;  // fds beyond kMaxFdsPerMessage, already closed
    bool truncated = false;
    bool any() const { return truncated || !fds.empty(); }
  };

  void on_io(int events);
  void read_some();
  void on_frames(std::vector<ipc::Frame> frames);
  void on_frame(ipc::json msg, Attached att);
  void report(std::string text, std::string code = "ERR_IPC_FRAME");
  void stray(Attached& att, const std::string& why);
  void on_ack();
  void flush_writes();
  void update_watch();
  void close_now();
  void schedule_delivery();
  void deliver();

  kata::node::Loop& loop_;
  int fd_;
  std::shared_ptr<kata::events::EventEmitter> target_;
  ipc::LineDecoder decoder_;
  std::shared_ptr<kata::node::IoWatcher> watcher_;
  std::deque<Out> out_;     // being written, in order
  std::deque<Out> held_;    // waiting for the ACK of the handle in flight
  int in_flight_fd_ = -1;   // our copy of the handle awaiting its ACK
  Attached attached_;        // for the frame started, not yet complete, that fds came with
  std::deque<In> inbox_;    // to deliver, in order; messages wait for a listener
  int watched_events_ = 0;   // what the watcher was last started with
  bool delivery_scheduled_ = false;
  bool disconnecting_ = false;
  bool keep_alive_ = true;
  bool closed_ = false;
  bool corked_ = false;      // deliver() is running: send() queues, deliver() writes
};

}  // namespace kata::child_process
