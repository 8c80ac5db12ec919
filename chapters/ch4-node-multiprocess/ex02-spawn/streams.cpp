#include "streams.hpp"

#include <errno.h>
#include <unistd.h>

#include <exception>

#include "kata/todo.hpp"
#include "os_process.hpp"

namespace kata::child_process {

using kata::node::kReadable;
using kata::node::kWritable;

// ---- ReadableStream --------------------------------------------------------------

ReadableStream::ReadableStream(kata::node::Loop& loop, int fd) : loop_(loop), fd_(fd) {}

ReadableStream::~ReadableStream() {
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  if (fd_ >= 0) ::close(fd_);
}

void ReadableStream::start() {
  KATA_TODO("watch fd_ for kReadable (loop_.watch_fd); the callback holds shared_from_this() and calls "
            "on_readable() (hint 5)");
}

void ReadableStream::on_readable() {
  KATA_TODO("read until EAGAIN: each read is one \"data\" event; 0 = EOF: close_fd(), then \"end\" and "
            "\"close\" (hint 5)");
}

void ReadableStream::close_fd() {
  KATA_TODO("close the watcher first (and drop your shared_ptr to it), then the fd; fd_ = -1");
}

void ReadableStream::destroy() { KATA_TODO("close_fd() now, emit \"close\" on the next tick"); }

// ---- WritableStream --------------------------------------------------------------

WritableStream::WritableStream(kata::node::Loop& loop, int fd) : loop_(loop), fd_(fd) {}

WritableStream::~WritableStream() {
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  if (fd_ >= 0) ::close(fd_);
}

bool WritableStream::write(std::string data) {
  (void)data;
  KATA_TODO("throw std::logic_error after end(); queue the data, flush(), return queued_ < kHighWaterMark "
            "(hint 6)");
}

void WritableStream::end(std::string data) {
  (void)data;
  KATA_TODO("write the last data, remember ending_, finish_if_done()");
}

void WritableStream::flush() {
  KATA_TODO("write() the queue until EAGAIN (then watch kWritable) or empty (then stop watching, \"drain\" "
            "if write() returned false); EPIPE -> fail(errno) (hint 6)");
}

void WritableStream::finish_if_done() {
  KATA_TODO("ending and nothing queued: close_fd(), \"finish\", \"close\"");
}

void WritableStream::fail(int err) {
  (void)err;
  KATA_TODO("drop the queue, close_fd(), \"error\" (only if someone listens), \"close\"");
}

void WritableStream::close_fd() { KATA_TODO("as ReadableStream::close_fd"); }

void WritableStream::destroy() { KATA_TODO("drop the queue, close_fd(), \"close\" on the next tick"); }

}  // namespace kata::child_process
