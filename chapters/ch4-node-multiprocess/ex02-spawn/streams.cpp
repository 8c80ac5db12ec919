#include "streams.hpp"

#include <errno.h>
#include <unistd.h>

#include "kata/todo.hpp"

namespace kata::child_process {

using kata::node::kReadable;

// ---- ReadableStream (WritableStream is given: writable_stream.cpp) ------------------

ReadableStream::ReadableStream(kata::node::Loop& loop, int fd) : loop_(loop), fd_(fd) {}

ReadableStream::~ReadableStream() {
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  if (fd_ >= 0) ::close(fd_);
}

void ReadableStream::start() {
  KATA_TODO("watch fd_ for kReadable (loop_.watch_fd, docs/ch3-runtime-api.md); the callback holds "
            "shared_from_this() and calls on_readable() (hint 4)");
}

void ReadableStream::on_readable() {
  KATA_TODO("read until EAGAIN (at most a few dozen reads per wake-up): each read is one \"data\" event; "
            "0 = EOF: close_fd(), then \"end\" and \"close\" (hint 4)");
}

void ReadableStream::close_fd() {
  KATA_TODO("stop_watching(watcher_) (streams.hpp) first, then close the fd; fd_ = -1");
}

void ReadableStream::destroy() {
  KATA_TODO("close_fd() now, emit \"close\" on the next tick (loop_.next_tick)");
}

}  // namespace kata::child_process
