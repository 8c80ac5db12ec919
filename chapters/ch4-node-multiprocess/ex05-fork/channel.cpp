// Your part of the channel: the Node rules. The bytes and fds move through
// socket_, a ChannelSocket (given: channel_socket.hpp / channel_socket.cpp).
#include "channel.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include "kata/todo.hpp"

namespace kata::child_process {

using kata::node::kDisconnect;
using kata::node::kReadable;
using kata::node::kWritable;

void Channel::start() {
  KATA_TODO("socket_.start() with a callback that calls on_io (channel_socket.hpp), then update_watch()");
}

void Channel::set_keep_alive(bool keep) {
  (void)keep;
  KATA_TODO("remember it in keep_alive_; update_watch()");
}

void Channel::update_watch() {
  KATA_TODO("socket_.watch(reading, keep_alive) (channel_socket.hpp): read unless disconnecting_; keep the loop "
            "alive when keep_alive_ or a handle awaits its ACK (the socket adds pending writes) (hint 1)");
}

bool Channel::send(const ipc::json& message, int handle) {
  (void)message, (void)handle;
  KATA_TODO("false when not connected(); an Outgoing (channel_socket.hpp) with ipc::encode(message), or for a "
            "handle {\"cmd\":\"NODE_HANDLE\",\"type\":\"fd\",\"msg\":message} plus a dup (F_DUPFD_CLOEXEC); "
            "behind a handle awaiting its ACK it waits in held_, else socket_.queue() it and flush_writes() "
            "unless corked_ (hint 2)");
}

void Channel::flush_writes() {
  KATA_TODO("socket_.write() (channel_socket.hpp): a sent_fd is our copy of the handle, keep it in in_flight_fd_ "
            "until the ACK; peer_gone, or disconnecting_ with nothing left to write: close_now(); else "
            "update_watch() (hint 2)");
}

void Channel::on_io(int events) {
  (void)events;
  KATA_TODO("kWritable: flush_writes(); then, unless closed or disconnecting, kReadable or kDisconnect: read_some()");
}

void Channel::read_some() {
  KATA_TODO("socket_.read() (channel_socket.hpp): a Frame goes to on_frame(msg, fd), an Error to report(error, "
            "code) (the frame is dropped, the channel goes on), End to close_now(); then schedule_delivery() "
            "(hint 3)");
}

void Channel::on_frame(ipc::json msg, int fd) {
  (void)msg, (void)fd;
  KATA_TODO("by command_of(msg) (channel_socket.hpp): NODE_HANDLE: queue a NODE_HANDLE_ACK on socket_ at once "
            "(ahead of held_) and flush, then inbox a Message of msg[\"msg\"] with fd; NODE_HANDLE_ACK: on_ack(); "
            "another NODE_ cmd: an Internal; anything else: a Message (hint 3)");
}

void Channel::report(std::string text, std::string code) {
  (void)text, (void)code;
  KATA_TODO("inbox an Error item with this text and code");
}

void Channel::on_ack() {
  KATA_TODO("no handle written (in_flight_fd_ < 0): ignore it; else close our copy, then release held_ onto "
            "socket_ up to and including the next handle (awaiting_ack_ again); flush_writes() (hint 2)");
}

void Channel::disconnect() {
  KATA_TODO("no-op unless connected(); stop reading; drop_frames(held_) (channel_socket.hpp); close now, or "
            "update_watch() and let flush_writes() close once the queued writes are out (hint 4)");
}

void Channel::close_now() {
  KATA_TODO("once: socket_.close() (it closes the fds queued on it), drop_frames(held_), close in_flight_fd_; "
            "inbox a Disconnect; schedule_delivery() (hint 4)");
}

void Channel::schedule_delivery() {
  KATA_TODO("once per batch, and only with something in the inbox: loop_.next_tick(deliver), holding "
            "shared_from_this() (Node emits messages from process.nextTick; docs/ch3-runtime-api.md)");
}

void Channel::deliver() {
  KATA_TODO("corked_ while emitting the inbox in order on target_ (an Error as IpcError(error, code)); stop at "
            "a Message while nobody listens to \"message\" (drop it, closing its fd, once the channel is "
            "closed); after \"disconnect\": on_closed(), then let target_ go; uncork and write what the "
            "listeners sent (hint 5)");
}

}  // namespace kata::child_process
