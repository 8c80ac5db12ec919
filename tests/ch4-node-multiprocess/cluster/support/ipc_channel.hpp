// The IPC channel between the primary and a worker: Node's 'json' framing
// (one JSON text per message, then '\n') over an AF_UNIX stream socketpair,
// with at most one fd riding along with a message (SCM_RIGHTS).
//
// An fd is attached to the *first byte* of its message; the receiver collects
// fds in arrival order and gives the next one to the message marked "_fd"
// (pitfalls: fds arrive with the recvmsg that reads the first byte sent with
// them; read until EAGAIN; MSG_CTRUNC means fds were dropped).
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "node_runtime.hpp"

namespace kata::cluster {

using Json = nlohmann::ordered_json;

class Channel {
 public:
  // Takes ownership of `fd` (made non-blocking) and watches it on `loop`.
  Channel(node::Loop& loop, int fd);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // msg, and the fd that came with it (-1 if none; the callee owns it).
  void on_message(std::function<void(Json msg, int fd)> cb) { on_message_ = std::move(cb); }
  // The other end closed, or close() finished: called once, from the close phase.
  void on_close(std::function<void()> cb) { on_close_ = std::move(cb); }

  // Queues the message; `fd` (if >= 0) is duplicated, so the caller may close
  // its copy at once. false once the channel is closing or closed.
  bool send(const Json& msg, int fd = -1);

  // Stops reading, sends what is queued, then closes (process.disconnect()).
  void close();
  bool connected() const { return state_ == State::open; }

  void ref();
  void unref();

 private:
  enum class State { open, closing, closed };
  struct Out {
    std::string bytes;
    std::size_t sent = 0;
    int fd = -1;  // our duplicate; closed once sent
  };
  void on_io(int events);
  void read_all();
  void flush();
  void update_watch();
  void finish();

  node::Loop& loop_;
  int fd_;
  std::shared_ptr<node::IoWatcher> watcher_;
  State state_ = State::open;
  std::string in_;
  std::deque<int> in_fds_;
  std::deque<Out> out_;
  std::function<void(Json, int)> on_message_;
  std::function<void()> on_close_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace kata::cluster
