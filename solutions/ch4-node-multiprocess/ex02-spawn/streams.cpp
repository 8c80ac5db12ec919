#include "streams.hpp"

#include <errno.h>
#include <unistd.h>

namespace kata::child_process {

using kata::node::kReadable;

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
  // Stop watching before closing the fd (the number may be reused), and
  // drop our reference: the callback inside holds this stream.
  stop_watching(watcher_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void ReadableStream::destroy() {
  if (fd_ < 0) return;
  close_fd();
  loop_.next_tick([self = shared_from_this()] { self->emit("close"); });
}

}  // namespace kata::child_process
