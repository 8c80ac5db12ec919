// Given: WritableStream (declared in streams.hpp), child.stdin. Finished
// code to read: write() queues and writes what the pipe takes now; the rest
// waits for the poll phase to find the pipe writable (kWritable), so a slow
// child holds the writer back (backpressure) and nothing ever blocks.
#include <errno.h>
#include <unistd.h>

#include <exception>
#include <stdexcept>

#include "os_process.hpp"  // SystemError, errno_name
#include "streams.hpp"

namespace kata::child_process {

using kata::node::kWritable;

WritableStream::WritableStream(kata::node::Loop& loop, int fd) : loop_(loop), fd_(fd) {}

WritableStream::~WritableStream() {
  if (watcher_ && !watcher_->is_closing()) watcher_->close();
  if (fd_ >= 0) ::close(fd_);
}

// node 20's writeOrBuffer (lib/internal/streams/writable.js) compares
// state.length with the high-water mark AFTER _write, which has already
// subtracted what the pipe took: a 20 KiB chunk an empty pipe takes at once
// returns true, and no 'drain' is owed.
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
  if (queue_.empty()) stop_watching(watcher_);  // nothing to wait for: stop keeping the loop alive
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
  stop_watching(watcher_);  // before the fd: its number may be reused
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
