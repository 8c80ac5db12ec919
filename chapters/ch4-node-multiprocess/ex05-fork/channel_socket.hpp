// The byte level of a Channel (given): one end of the socketpair on the
// loop, the frames queued for it, and what its reads bring — whole frames,
// each with the fd that came with it. Channel (channel.cpp, your part)
// decides what is sent and when, and what a frame means; this class only
// moves bytes and fds, the way libuv's stream code does for Node.
//
// Writing: frames are written in order, as many per sendmsg as the socket
// takes (the replies one delivery produced cost one system call). A frame
// with an fd goes alone, the fd on its first byte; once it is written the fd
// is handed back to the caller (Written::sent_fd), who keeps it until the
// receiver's NODE_HANDLE_ACK.
//
// Reading: which frame received fds belong to. The kernel glues the bytes of
// earlier writes before the write that carried fds into one read, but ends
// the read right after it. So the fds of a read belong to the last frame
// that starts in that read (Node, and this channel, send a handle frame
// alone in its write). Only a NODE_HANDLE frame may take one (at most
// kMaxFdsPerMessage); every other fd is closed at once and reported, so a
// peer can never leave an fd behind for a later frame to pick up.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "json_lines.hpp"
#include "node_runtime.hpp"

namespace kata::child_process {

// Fds one message may bring: Node sends exactly one handle per NODE_HANDLE
// message. More would be fds the receiver holds without knowing why.
inline constexpr std::size_t kMaxFdsPerMessage = 1;

// One frame to write: its encoded bytes and, for a handle, our fd to send
// with its first byte (owned by the queue until it is written).
struct Outgoing {
  std::string bytes;
  int fd = -1;
};

// Closes the fds of `frames` and empties it (frames that will never be sent).
void drop_frames(std::deque<Outgoing>& frames);

// A message's "cmd" when it is a string ("NODE_HANDLE", ...), else "": any
// JSON may arrive, and a peer's {"cmd":5} must not throw.
std::string command_of(const ipc::json& msg);

// What a read brought, in the order it came.
struct Incoming {
  enum Kind { Frame, Error, End } kind;
  ipc::json msg{};      // Frame: the message
  int fd = -1;          // Frame: the handle a NODE_HANDLE brought (now yours), else -1
  std::string error{};  // Error: what went wrong (the fds involved are closed already)
  std::string code{};   // Error: ERR_IPC_FRAME, ERR_IPC_STRAY_FD or ERR_IPC_HANDLE_LOST
};

class ChannelSocket {
 public:
  // Takes ownership of fd and makes it non-blocking.
  ChannelSocket(kata::node::Loop& loop, int fd, std::size_t max_frame);
  ~ChannelSocket();  // closes the socket and every fd it still holds
  ChannelSocket(const ChannelSocket&) = delete;
  ChannelSocket& operator=(const ChannelSocket&) = delete;

  // Watches the socket in the poll phase: on_io(events) gets kReadable,
  // kWritable, kDisconnect. Nothing is watched until watch() says what.
  void start(std::function<void(int events)> on_io);
  // Readable when `reading`, writable while frames are queued; the loop is
  // kept alive when `keep_alive` or while frames are queued. Call it after
  // anything that changes either (it touches the watcher only on a change).
  void watch(bool reading, bool keep_alive);

  // Queues a frame behind the others (dropped, its fd closed, once closed).
  void queue(Outgoing frame);
  bool writing() const { return !out_.empty(); }
  struct Written {
    bool peer_gone = false;  // EPIPE, ECONNRESET: the other side is gone
    int sent_fd = -1;        // a handle frame's fd went out: it is yours now
  };
  // Writes queued frames until the socket is full, the queue is empty, or a
  // frame carrying an fd went out (one handle per call: sent_fd).
  Written write();

  // Reads what the socket holds (a bounded number of reads) and calls
  // on_item for every frame and error, in order; End once, at EOF (a frame
  // the peer left half written is an Error first). Stops when on_item
  // closed the socket.
  void read(const std::function<void(Incoming)>& on_item);

  // Stops watching (before the fd number can be reused), closes the socket
  // and every fd still queued or waiting for its frame to complete.
  void close();
  bool is_open() const { return fd_ >= 0; }

 private:
  // The fds that came with the read in which the frame now being read
  // started (at most kMaxFdsPerMessage), or the news that the kernel
  // dropped them (MSG_CTRUNC).
  struct Attached {
    std::vector<int> fds;
    std::size_t extra = 0;  // fds beyond kMaxFdsPerMessage, already closed
    bool truncated = false;
    bool any() const { return truncated || !fds.empty(); }
  };
  struct Queued {
    std::string bytes;
    int fd = -1;
    std::size_t off = 0;  // bytes already written
  };
  void on_frames(std::vector<ipc::Frame> frames, const std::function<void(Incoming)>& on_item);
  void on_message(ipc::json msg, Attached att, const std::function<void(Incoming)>& on_item);

  kata::node::Loop& loop_;
  int fd_;
  ipc::LineDecoder decoder_;
  std::shared_ptr<kata::node::IoWatcher> watcher_;
  std::function<void(int)> on_io_;
  std::deque<Queued> out_;  // being written, in order
  Attached attached_;       // for the frame started, not yet complete, that fds came with
  int watched_events_ = 0;  // what the watcher was last started with
};

}  // namespace kata::child_process
