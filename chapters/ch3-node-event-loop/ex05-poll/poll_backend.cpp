// The OS side of the poll phase (given, not an exercise): epoll on Linux,
// poll(2) elsewhere; the wake-up fd; watchers, asyncs, posted functions.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "loop.hpp"
#include "poll.hpp"

// epoll on Linux; poll(2) elsewhere, or on Linux too when built with
// KATA_POLL_BACKEND_POLL (the harness self-test harness.poll2.* does, so the
// fallback is compiled and tested here, not only on systems we do not run).
#if defined(__linux__) && !defined(KATA_POLL_BACKEND_POLL)
#define KATA_USE_EPOLL 1
#else
#define KATA_USE_EPOLL 0
#endif

#if KATA_USE_EPOLL
#include <sys/epoll.h>
#include <sys/eventfd.h>
#else
#include <poll.h>
#endif

namespace kata::node {

namespace {
[[noreturn]] void fail(const char* what) { throw std::system_error(errno, std::generic_category(), what); }
}  // namespace

Poller::Poller(Loop& loop) : loop_(loop) {
#if KATA_USE_EPOLL
  backend_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (backend_fd_ < 0) fail("epoll_create1");
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) { ::close(backend_fd_); fail("eventfd"); }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  if (::epoll_ctl(backend_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) < 0) { ::close(wake_fd_); ::close(backend_fd_); fail("epoll_ctl"); }
#else
  int p[2];
  if (::pipe(p) < 0) fail("pipe");
  for (int fd : p) { ::fcntl(fd, F_SETFD, FD_CLOEXEC); ::fcntl(fd, F_SETFL, O_NONBLOCK); }
  wake_fd_ = p[0];
  backend_fd_ = p[1];  // no kernel poller: the write end of the self-pipe
#endif
}

Poller::~Poller() {
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (backend_fd_ >= 0) ::close(backend_fd_);
}

// ---- the backend --------------------------------------------------------------------
void Poller::backend_add(int fd, int events, bool modify) {
#if KATA_USE_EPOLL
  epoll_event ev{};
  ev.events = ((events & kReadable) ? std::uint32_t(EPOLLIN) : 0u) | ((events & kWritable) ? std::uint32_t(EPOLLOUT) : 0u) | std::uint32_t(EPOLLRDHUP);
  ev.data.fd = fd;
  if (::epoll_ctl(backend_fd_, modify ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) < 0) fail("epoll_ctl");
#else
  (void)fd, (void)events, (void)modify;  // poll(2) rebuilds its set each time
#endif
}

void Poller::backend_remove(int fd) {
#if KATA_USE_EPOLL
  epoll_event ev{};
  ::epoll_ctl(backend_fd_, EPOLL_CTL_DEL, fd, &ev);  // fails harmlessly if the fd was closed
#else
  (void)fd;
#endif
}

void Poller::backend_wait(int timeout_ms) {
  ready_.clear();
#if KATA_USE_EPOLL
  epoll_event events[256];
  int n;
  do n = ::epoll_wait(backend_fd_, events, 256, timeout_ms);
  while (n < 0 && errno == EINTR);
  if (n < 0) fail("epoll_wait");
  for (int i = 0; i < n; ++i) {
    const std::uint32_t e = events[i].events;
    int ev = 0;
    if (e & (EPOLLIN | EPOLLERR | EPOLLHUP)) ev |= kReadable;
    if (e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) ev |= kWritable;
    if (e & (EPOLLRDHUP | EPOLLHUP)) ev |= kDisconnect;
    ready_.push_back(Ready{events[i].data.fd, ev});
  }
#else
  std::vector<pollfd> fds;
  fds.push_back(pollfd{wake_fd_, POLLIN, 0});
  for (std::size_t fd = 0; fd < by_fd_.size(); ++fd)
    if (by_fd_[fd] != nullptr)
      fds.push_back(pollfd{int(fd), short(((by_fd_[fd]->events_ & kReadable) ? POLLIN : 0) |
                                          ((by_fd_[fd]->events_ & kWritable) ? POLLOUT : 0)), 0});
  int n;
  do n = ::poll(fds.data(), fds.size(), timeout_ms);
  while (n < 0 && errno == EINTR);
  if (n < 0) fail("poll");
  for (const pollfd& p : fds) {
    if (p.revents == 0) continue;
    int ev = 0;
    if (p.revents & (POLLIN | POLLERR | POLLHUP)) ev |= kReadable;
    if (p.revents & (POLLOUT | POLLERR | POLLHUP)) ev |= kWritable;
    if (p.revents & POLLHUP) ev |= kDisconnect;
    ready_.push_back(Ready{p.fd, ev});
  }
#endif
}

// ---- watchers -------------------------------------------------------------------------
void Poller::watch(IoWatcher& w) {
  if (w.fd_ < 0) throw std::invalid_argument("IoWatcher: bad fd");
  if (std::size_t(w.fd_) >= by_fd_.size()) by_fd_.resize(std::size_t(w.fd_) + 1, nullptr);
  IoWatcher*& slot = by_fd_[std::size_t(w.fd_)];
  if (slot != nullptr && slot != &w) throw std::logic_error("IoWatcher: the fd already has a watcher");
  backend_add(w.fd_, w.events_, slot == &w);
  if (slot == nullptr) ++active_watchers_;
  slot = &w;
}

void Poller::unwatch(IoWatcher& w) {
  if (w.fd_ < 0 || std::size_t(w.fd_) >= by_fd_.size() || by_fd_[std::size_t(w.fd_)] != &w) return;
  by_fd_[std::size_t(w.fd_)] = nullptr;
  --active_watchers_;
  backend_remove(w.fd_);
}

std::shared_ptr<IoWatcher> IoWatcher::create(Loop& loop, int fd) {
  return std::shared_ptr<IoWatcher>(new IoWatcher(loop, fd));
}

void IoWatcher::start(int events, std::function<void(int)> cb) {
  if (is_closing()) throw std::logic_error("IoWatcher::start on a closing handle");
  events_ = events & (kReadable | kWritable);
  cb_ = std::move(cb);
  loop().poller().watch(*this);
  activate();
}

void IoWatcher::stop() {
  if (!is_active()) return;
  loop().poller().unwatch(*this);
  deactivate();
}

void Poller::drop_callbacks() {
  // Moved out first, destroyed at the end: what a callback held may close
  // its own handle as it dies, which only unregisters it. Every handle is
  // left inactive and unregistered, so one that outlives the loop never
  // reaches back into it.
  std::vector<std::function<void(int)>> watcher_cbs;
  std::vector<Callback> async_cbs;
  for (IoWatcher* w : by_fd_) {
    if (w == nullptr) continue;
    watcher_cbs.push_back(std::exchange(w->cb_, nullptr));
    w->stop();
  }
  for (Async*& a : asyncs_) {
    if (a == nullptr) continue;
    async_cbs.push_back(std::exchange(a->cb_, nullptr));
    Async* gone = std::exchange(a, nullptr);
    if (gone->is_active()) gone->deactivate();
  }
}

IoWatcher::~IoWatcher() { stop(); }

Async::~Async() {
  if (!is_active()) return;  // closed, or its loop went first
  loop().poller().remove_async(this);
  deactivate();
}

// ---- async handles and posted functions -------------------------------------------------
std::shared_ptr<Async> Async::create(Loop& loop, Callback cb) {
  auto a = std::shared_ptr<Async>(new Async(loop, std::move(cb)));
  loop.poller().add_async(a.get());
  a->activate();  // uv_async_init starts it
  return a;
}

void Async::send() {
  // Coalesce: only the first send() before the callback runs wakes the loop.
  if (pending_.exchange(true)) return;
  loop().poller().wake();
}

void Async::on_close_stop() { loop().poller().remove_async(this); }

void Poller::add_async(Async* a) { asyncs_.push_back(a); }

void Poller::remove_async(Async* a) {
  for (auto& p : asyncs_)
    if (p == a) p = nullptr;  // compacted in run_posted (may be running now)
}

void Poller::post(Callback fn) {
  {
    std::lock_guard<std::mutex> lock(post_mu_);
    posted_.push_back(std::move(fn));
  }
  wake();
}

void Poller::wake() {
  if (woken_.exchange(true)) return;  // already signalled, not yet drained
#if KATA_USE_EPOLL
  const std::uint64_t one = 1;
  ssize_t r;
  do r = ::write(wake_fd_, &one, sizeof one);
  while (r < 0 && errno == EINTR);
#else
  const char c = 1;
  (void)!::write(backend_fd_, &c, 1);
#endif
}

void Poller::drain_wake_fd() {
  char buf[64];
  while (::read(wake_fd_, buf, sizeof buf) > 0) {
  }
}

void Poller::run_posted(Loop& loop) {
  // Read the wake-up fd first, then clear the flag, then read the queues: a
  // post() before the clear is in this batch (it queued before setting the
  // flag); one after it writes the fd again. Clearing first would lose a
  // wake-up: a post() between the clear and the read sets the flag and
  // writes the fd, the read swallows that write, and every later post()
  // sees the flag still set and writes nothing — poll sleeps for ever.
  drain_wake_fd();
  woken_.store(false);
  // Asyncs first (libuv's uv__async_io walks its handles in order) ...
  for (std::size_t i = 0; i < asyncs_.size(); ++i) {
    Async* a = asyncs_[i];
    if (a == nullptr || !a->pending_.exchange(false)) continue;
    Callback cb = a->cb_;
    loop.invoke(cb);
    loop.after_callback();
  }
  asyncs_.erase(std::remove(asyncs_.begin(), asyncs_.end(), nullptr), asyncs_.end());
  // ... then posted functions (thread-pool completions), in arrival order.
  std::vector<Callback> batch;
  {
    std::lock_guard<std::mutex> lock(post_mu_);
    batch.swap(posted_);
  }
  for (auto& fn : batch) {
    loop.invoke(fn);  // each one is its own macrotask callback
    loop.after_callback();
  }
}

// ---- simulated I/O ------------------------------------------------------------------------
void Poller::add_simulated(std::int64_t due_ms, Callback cb) { simulated_.push(Sim{due_ms, sim_seq_++, std::move(cb)}); }

std::optional<std::int64_t> Poller::next_simulated() const {
  if (simulated_.empty()) return std::nullopt;
  return simulated_.top().due;
}

void Poller::run_due_simulated(Loop& loop) {
  while (!simulated_.empty() && simulated_.top().due <= loop.now()) {
    Callback cb = std::move(simulated_.top().cb);
    simulated_.pop();
    loop.invoke(cb);
    loop.after_callback();
  }
}

}  // namespace kata::node
