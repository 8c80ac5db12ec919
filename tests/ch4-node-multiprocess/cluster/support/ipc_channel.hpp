// The IPC channel between the primary and a worker is part 1's
// (kata::child_process::Channel, exercise 5): Node's 'json' framing over an
// AF_UNIX socketpair, a handle riding as {"cmd":"NODE_HANDLE",...} with its
// fd and acknowledged by NODE_HANDLE_ACK, one handle in flight at a time,
// every event delivered from process.nextTick.
//
// This header only adapts its events to the two callbacks the cluster uses:
// the cluster's own messages are {"cmd":"NODE_CLUSTER",...}, which part 1
// emits as 'internalMessage' (or as 'message' when a handle came with one),
// and the cluster treats both kinds the same way.
#pragma once

#include <unistd.h>

#include <any>
#include <exception>
#include <functional>
#include <string>
#include <memory>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "channel.hpp"
#include "event_emitter.hpp"
#include "node_runtime.hpp"

namespace kata::cluster {

using Json = nlohmann::ordered_json;
// Same type on the wire: keys keep their order (JSON.stringify's), no copy.
static_assert(std::is_same_v<Json, child_process::ipc::json>);

class Channel {
 public:
  // Takes ownership of `fd` and starts reading it on `loop`.
  Channel(node::Loop& loop, int fd)
      : events_(std::make_shared<events::EventEmitter>()),
        channel_(std::make_shared<child_process::Channel>(loop, fd, events_)) {
    auto hooks = hooks_;
    events_->on("message", [hooks](const events::Args& a) {
      const int fd = std::any_cast<int>(a.at(1));
      if (hooks->on_message) return hooks->on_message(std::any_cast<Json>(a.at(0)), fd);
      if (fd >= 0) ::close(fd);  // nobody will take it
    });
    events_->on("internalMessage", [hooks](const events::Args& a) {
      if (hooks->on_message) hooks->on_message(std::any_cast<Json>(a.at(0)), -1);
    });
    // The channel goes on after an error (a malformed frame is dropped, the
    // ones after it still arrive; a handle lost to MSG_CTRUNC is reported as
    // ERR_IPC_HANDLE_LOST and still acknowledged by the channel, so the
    // sender's queue moves on); the cluster counts and reports it.
    events_->on("error", [hooks](const events::Args& a) {
      std::string code = "ERR_IPC", message = "unknown error";
      try {
        std::rethrow_exception(std::any_cast<std::exception_ptr>(a.at(0)));
      } catch (const child_process::IpcError& e) {
        code = e.code;
        message = e.what();
      } catch (const std::exception& e) {
        message = e.what();
      }
      if (hooks->on_error) hooks->on_error(code, message);
    });
    events_->on("disconnect", [hooks](const events::Args&) {
      if (auto cb = std::exchange(hooks->on_close, nullptr)) cb();
    });
    channel_->start();
  }
  // Whatever is still queued is written, then the channel closes; nothing
  // more reaches the callbacks.
  ~Channel() {
    hooks_->on_message = nullptr;
    hooks_->on_close = nullptr;
    hooks_->on_error = nullptr;
    channel_->disconnect();
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // msg, and the fd that came with it (-1 if none; the callee owns it).
  void on_message(std::function<void(Json msg, int fd)> cb) { hooks_->on_message = std::move(cb); }
  // The other end closed, or close() finished: called once, from a nextTick.
  void on_close(std::function<void()> cb) { hooks_->on_close = std::move(cb); }
  // An 'error' of the channel (IpcError code and message); it stays open.
  void on_error(std::function<void(const std::string& code, const std::string& message)> cb) {
    hooks_->on_error = std::move(cb);
  }

  // Queues the message; `fd` (if >= 0) is duplicated, so the caller may close
  // its copy at once. false once the channel is closing or closed.
  bool send(const Json& msg, int fd = -1) { return channel_->send(msg, fd); }

  // Stops reading, sends what is queued, then closes (process.disconnect()).
  void close() { channel_->disconnect(); }
  bool connected() const { return channel_->connected(); }

  // Whether the open channel keeps the loop alive (pending writes always do).
  void ref() { channel_->set_keep_alive(true); }
  void unref() { channel_->set_keep_alive(false); }

 private:
  struct Hooks {
    std::function<void(Json, int)> on_message;
    std::function<void()> on_close;
    std::function<void(const std::string&, const std::string&)> on_error;
  };
  std::shared_ptr<Hooks> hooks_ = std::make_shared<Hooks>();
  std::shared_ptr<events::EventEmitter> events_;
  std::shared_ptr<child_process::Channel> channel_;
};

}  // namespace kata::cluster
