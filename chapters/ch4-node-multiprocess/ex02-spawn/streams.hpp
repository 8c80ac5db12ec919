// The pipes between parent and child, as Node's streams: child.stdout and
// child.stderr are readable ('data', 'end', 'close'), child.stdin is writable
// (write, end, 'drain', 'finish', 'close', 'error').
//
// Both sides are non-blocking fds watched by the loop's poll phase: a chunk
// becomes a 'data' event when the poll phase finds the pipe readable, never
// by a blocking read that would freeze every other callback.
//
// ReadableStream is yours (streams.cpp); WritableStream is given
// (writable_stream.cpp).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>

#include "event_emitter.hpp"
#include "node_runtime.hpp"

namespace kata::child_process {

// Stops watching an fd and lets the watcher go: closes it (the loop frees it
// in its close phase) and drops our shared_ptr, whose callback holds the
// stream or child (kept, it would be a cycle). Call it BEFORE closing the
// fd: the number may be reused at once. Does nothing when it is null.
inline void stop_watching(std::shared_ptr<kata::node::IoWatcher>& watcher) {
  if (!watcher) return;
  auto w = std::move(watcher);
  if (!w->is_closing()) w->close();
}

// Readable end of a pipe (flowing mode: data with no listener is dropped,
// so a child is never blocked on a full pipe nobody reads).
//   "data"  (std::string chunk)  one per read, up to 64 KiB
//   "end"   ()                   the writer closed its end (EOF)
//   "close" ()                   our fd is closed (after "end", or destroy())
class ReadableStream : public kata::events::EventEmitter, public std::enable_shared_from_this<ReadableStream> {
 public:
  // Takes ownership of fd (non-blocking). -1 makes a stream that never emits.
  ReadableStream(kata::node::Loop& loop, int fd);
  ~ReadableStream() override;
  ReadableStream(const ReadableStream&) = delete;
  ReadableStream& operator=(const ReadableStream&) = delete;

  // Starts watching the fd in the poll phase.
  void start();
  // Stops reading and closes the fd now; "close" follows on the next tick.
  void destroy();
  bool closed() const { return fd_ < 0; }
  int fd() const { return fd_; }

 private:
  void on_readable();
  void close_fd();

  kata::node::Loop& loop_;
  int fd_;
  std::shared_ptr<kata::node::IoWatcher> watcher_;
};

// Writable end of a pipe. Given (writable_stream.cpp, finished code: read
// it): Node's backpressure on a non-blocking pipe, the part of a stream that
// is queue mechanics more than the child's lifecycle.
//   write(data)  queues data; returns false once 16 KiB or more wait ('drain'
//                follows when they are written)
//   end()        writes what is queued, then closes: the child reads EOF;
//                "finish" then "close"
//   "error"      (std::exception_ptr) EPIPE when the child closed its end;
//                only emitted when someone listens (Node would crash)
class WritableStream : public kata::events::EventEmitter, public std::enable_shared_from_this<WritableStream> {
 public:
  static constexpr std::size_t kHighWaterMark = 16 * 1024;

  WritableStream(kata::node::Loop& loop, int fd);
  ~WritableStream() override;
  WritableStream(const WritableStream&) = delete;
  WritableStream& operator=(const WritableStream&) = delete;

  // Throws std::logic_error after end() (Node: ERR_STREAM_WRITE_AFTER_END).
  bool write(std::string data);
  void end(std::string data = {});
  // Drops what is queued and closes now; "close" follows on the next tick.
  void destroy();
  std::size_t writable_length() const { return queued_; }
  bool closed() const { return fd_ < 0; }

 private:
  void flush();           // writes as much as the pipe takes
  void finish_if_done();  // end() requested and nothing queued: close
  void fail(int err);
  void close_fd();

  kata::node::Loop& loop_;
  int fd_;
  std::shared_ptr<kata::node::IoWatcher> watcher_;
  std::deque<std::string> queue_;
  std::size_t queued_ = 0;
  std::size_t offset_ = 0;  // written part of queue_.front()
  bool ending_ = false;
  bool need_drain_ = false;
};

}  // namespace kata::child_process
