// The thread pool (given, not an exercise): libuv's src/threadpool.c, small.
#include "thread_pool.hpp"

namespace kata::node {

ThreadPool::ThreadPool(unsigned threads, PostBack post_back)
    : size_(threads == 0 ? 1 : threads), post_back_(std::move(post_back)) {}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    jobs_.clear();  // queued, never started: dropped like the loop's other work
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

unsigned ThreadPool::started_threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unsigned(threads_.size());
}

void ThreadPool::submit(Work work, std::function<void(std::exception_ptr)> after) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(Job{std::move(work), std::move(after)});
    // Start the workers on first use (libuv: uv_once(init_threads)).
    if (threads_.empty())
      for (unsigned i = 0; i < size_; ++i) threads_.emplace_back([this] { worker(); });
  }
  cv_.notify_one();
}

void ThreadPool::worker() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    std::exception_ptr error;
    try {
      job.work();
    } catch (...) {
      error = std::current_exception();  // handed to the loop thread, never lost here
    }
    // The completion runs on the loop thread, in its poll phase.
    post_back_([after = std::move(job.after), error]() mutable { after(error); });
  }
}

}  // namespace kata::node
