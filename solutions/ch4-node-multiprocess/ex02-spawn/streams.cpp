#include "streams.hpp"

#include <errno.h>
#include <unistd.h>

#include <exception>

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
  if (fd_ < 0 || watcher_) return;
  watcher_ = loop_.watch_fd(fd_);
  // The watcher's callback holds the stream: it lives while the pipe is open.
  watcher_->start(kReadable, [self = shared_from_this()](int) { self->on_readable(); });
}

void ReadableStream::on_readable() {
  char buf[64 * 1024];
  // A bounded number of reads per callback (libuv's uv__read does the
  // same): the watcher is level-triggered, so what is left fires again in
  // the next poll phase, and other fds get their turn meanwhile.
  for (int i = 0; i < 32 && fd_ >= 0; ++i) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n > 0) {
      emit("data", std::string(buf, size_t(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    // 0 = EOF (the child closed its end, usually by exiting); an error
    // (EIO ...) ends the stream the same way.
    close_fd();
    emit("end");
    emit("close");
    return;
  }
}

void ReadableStream::close_fd() {
  if (watcher_) {
    // Stop watching before closing the fd (the number may be reused), and
    // drop our reference: the callback inside holds this stream.
    auto w = std::move(watcher_);
    w->close();
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void ReadableStream::destroy() {
  if (fd_ < 0) return;
  close_fd();
  loop_.next_tick([self = shared_from_this()] { self->emit("close"); });
}

// ---- WritableStream --------------------------------------------------------------

WritableStream::WritableStream(kata::node::Loop& loop, int fd) : loop_(loop), fd_(fd) {}

WritableStream::~WritableStream() {
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  if (fd_ >= 0) ::close(fd_);
}

bool WritableStream::write(std::string data) {
  if (ending_) throw std::logic_error("write after end (ERR_STREAM_WRITE_AFTER_END)");
  if (fd_ < 0) return false;
  if (!data.empty()) {
    queued_ += data.size();
    queue_.push_back(std::move(data));
    flush();
  }
  const bool below = queued_ < kHighWaterMark;
  if (!below) need_drain_ = true;
  return below;
}

void WritableStream::end(std::string data) {
  if (ending_) return;
  if (!data.empty()) write(std::move(data));
  ending_ = true;
  finish_if_done();
}

void WritableStream::flush() {
  while (fd_ >= 0 && !queue_.empty()) {
    const std::string& front = queue_.front();
    const ssize_t n = ::write(fd_, front.data() + offset_, front.size() - offset_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // The pipe is full: let the poll phase tell us when it has room.
      if (!watcher_) {
        watcher_ = loop_.watch_fd(fd_);
        watcher_->start(kWritable, [self = shared_from_this()](int) {
          self->flush();
          self->finish_if_done();
        });
      }
      return;
    }
    if (n < 0) {
      fail(errno);  // EPIPE: the child closed its stdin (SIGPIPE is ignored)
      return;
    }
    offset_ += size_t(n);
    queued_ -= size_t(n);
    if (offset_ == front.size()) {
      queue_.pop_front();
      offset_ = 0;
    }
  }
  if (queue_.empty() && watcher_) {
    auto w = std::move(watcher_);  // nothing to wait for: stop keeping the loop alive
    w->close();
  }
  if (queue_.empty() && need_drain_ && fd_ >= 0) {
    need_drain_ = false;
    emit("drain");
  }
}

void WritableStream::finish_if_done() {
  if (!ending_ || fd_ < 0 || !queue_.empty()) return;
  close_fd();
  emit("finish");
  emit("close");
}

void WritableStream::fail(int err) {
  queue_.clear();
  queued_ = 0;
  offset_ = 0;
  close_fd();
  if (listener_count("error") > 0)
    emit("error", std::make_exception_ptr(kata::process::SystemError(
                      err, "write", "write " + kata::process::errno_name(err))));
  emit("close");
}

void WritableStream::close_fd() {
  if (watcher_) {
    auto w = std::move(watcher_);
    w->close();
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void WritableStream::destroy() {
  if (fd_ < 0) return;
  queue_.clear();
  queued_ = 0;
  offset_ = 0;
  close_fd();
  loop_.next_tick([self = shared_from_this()] { self->emit("close"); });
}

}  // namespace kata::child_process
