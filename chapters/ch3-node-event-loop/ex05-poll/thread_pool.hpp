// kata::node::ThreadPool — libuv's thread pool (src/threadpool.c), small.
//
// Blocking work that has no non-blocking OS API (reading a file: fs.readFile,
// dns.lookup, crypto) runs on worker threads; its completion is *posted back*
// to the loop, which runs the `after` callback in its poll phase — never on
// the worker. Threads start on first use (libuv's init_once) and the
// destructor joins them, so a loop that never reads a file starts none.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kata::node {

class ThreadPool {
 public:
  using Work = std::function<void()>;
  // Called on the worker thread when a job finished: must hand `done` to the
  // loop thread (the Poller's thread-safe post()).
  using PostBack = std::function<void(std::function<void()> done)>;

  ThreadPool(unsigned threads, PostBack post_back);
  ~ThreadPool();  // waits for running jobs, drops queued ones, joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `work`; when it has run, `after(error)` is posted back (error is
  // what `work` threw, or null).
  void submit(Work work, std::function<void(std::exception_ptr)> after);
  unsigned size() const { return size_; }
  unsigned started_threads() const;

 private:
  void worker();
  struct Job {
    Work work;
    std::function<void(std::exception_ptr)> after;
  };
  const unsigned size_;
  PostBack post_back_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

}  // namespace kata::node
