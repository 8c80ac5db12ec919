// Hidden check of ch3.ex05 (kata/probe.hpp): what poll.cpp decides, on the
// parts that do not depend on thread scheduling.
// Two kinds of case:
//   * virtual time (most cases): simulated I/O of random durations, nested
//     and due together with timers, immediates and pending callbacks — poll
//     must wait for the nearest deadline, no further; plus a real pipe with
//     an fd watcher that reads a few bytes per callback (level-triggered:
//     again every iteration while data is left), stops when the pipe is
//     empty, is restarted by writers, sees the hang-up (kDisconnect) when
//     the write end closes, or is closed. Callbacks log name and clock.
//   * the thread pool: jobs (some throwing, some posting back with
//     loop.post, some queuing more jobs) and read_file on a real file and a
//     missing one. Completion order is the scheduler's, so the probe logs
//     the results sorted, and whether every callback ran on the loop thread.
//
//     ./build/learner/ch3_ex05 --kata-probe --seed 7 --cases 3
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "ch3_probe.hpp"

namespace {

using namespace ch3probe;

constexpr int kPrograms = 4;
using kata::node::IoWatcher;
using kata::node::kDisconnect;
using kata::node::kReadable;

// One pipe, one watcher on its read end.
struct Feed {
  Loop& loop;
  Rng& rng;
  Program& p;
  int rd = -1, wr = -1;
  std::shared_ptr<IoWatcher> w;
  int chunk = 1;
  int writes = 0;
  bool closing = false;

  Feed(Loop& l, Rng& r, Program& prog) : loop(l), rng(r), p(prog) {
    int fds[2];
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) { rd = fds[0]; wr = fds[1]; }
    w = loop.watch_fd(rd);
    chunk = rng.between(1, 8);
  }
  ~Feed() {
    if (w && !w->is_closing()) w->stop();
    w.reset();
    if (rd >= 0) ::close(rd);
    if (wr >= 0) ::close(wr);
  }

  void start() {
    if (closing || w->is_active()) return;
    w->start(kReadable, [this](int events) { on_ready(events); });
  }

  // An action of the program: write, hang up, or close the watcher.
  void act(const std::string& where) {
    if (closing) return;
    const int r = rng.below(10);
    if (r < 7 && wr >= 0) {
      const int n = rng.between(1, 20);
      const std::string bytes(std::size_t(n), 'x');
      log(where + " write " + std::to_string(n));
      if (::write(wr, bytes.data(), bytes.size()) != n) log("write failed");
      ++writes;
      start();
    } else if (r < 9 && wr >= 0) {
      log(where + " hang up");
      ::close(wr);
      wr = -1;
      start();
    } else {
      log(where + " close watcher");
      closing = true;
      w->close([] { log(at("watcher closed")); });
    }
  }

  void on_ready(int events) {
    char buf[64];
    const ssize_t n = ::read(rd, buf, std::size_t(chunk));
    int left = 0;
    if (::ioctl(rd, FIONREAD, &left) < 0) left = -1;
    log(at("W events " + std::to_string(events) + " read " + std::to_string(n < 0 ? -1 : n) + " left " +
           std::to_string(left)));
    if (n == 0) {  // end of file: the write end is closed and the pipe empty
      closing = true;
      w->close([] { log(at("watcher closed")); });
      return;
    }
    // Drained while a writer remains: wait for its next write (an active
    // watcher on an empty pipe would keep the loop waiting for ever).
    if (left == 0 && wr >= 0) w->stop();
    // Ticks and microtasks run right after this callback, before anything else.
    if (rng.chance(40)) loop.next_tick([] { log(at("W tick")); });
    if (rng.chance(20)) loop.queue_microtask([] { log(at("W microtask")); });
    if (rng.chance(40)) p.spawn(3);
  }
};

void virtual_case(Rng& rng) {
  Loop loop(kata::virtual_clock());
  Guard guard(loop);
  Weights w;
  w.io = 12;
  w.timeout = 5;
  w.immediate = 3;
  w.pending = 2;
  w.tick = 1;
  w.microtask = 1;
  w.busy = 4;
  w.interval = 1;
  w.throw_ = rng.chance(20) ? 1 : 0;
  const bool with_pipe = rng.chance(50);
  w.state = with_pipe ? 6 : 0;
  Program p(loop, rng, w);
  p.max_made = rng.between(10, 50);
  std::unique_ptr<Feed> feed;
  if (with_pipe) {
    feed = std::make_unique<Feed>(loop, rng, p);
    p.on_state = [&](const std::string& where) { feed->act(where); };
  }
  listen_uncaught(loop);
  p.task_throw_ok = true;
  log("main");
  p.spawn(0);
  p.throw_pending = false;
  if (feed && rng.chance(50)) feed->act("main");
  guarded([&] {
    const bool r = loop.run();
    log("run -> " + std::to_string(r) + " @" + std::to_string(clock_now()));
  });
  if (feed) {
    // What the program left: a watcher waiting for data nobody writes.
    if (feed->w->is_active()) log("watcher still active");
    feed.reset();
  }
  log("end @" + std::to_string(clock_now()));
}

// Keeps a pool case from blocking for ever. Every 50 ms of real time it
// writes the loop's wake-up fd itself: the given Poller::run_posted clears
// its `woken_` flag before draining the fd, so a post() landing in between
// leaves the flag set and the fd empty, and the next post() never writes
// it — a lost wake-up, rare, that this rescue turns into a short delay
// (nothing is logged, so the reference prints the same every run). After
// 1 s (a poll that never reads the wake-up fd; 100 ms once a case of this
// run got stuck) it writes a pipe that an unref'd watcher watches:
// "watchdog", then the case stops.
int g_stuck_cases = 0;

class Watchdog {
 public:
  explicit Watchdog(Loop& loop) {
    int fds[2];
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return;
    rd_ = fds[0];
    wr_ = fds[1];
    w_ = loop.watch_fd(rd_);
    w_->unref();
    w_->start(kReadable, [this](int) {
      w_->stop();
      ++g_stuck_cases;
      log("watchdog");
      throw kata::NotDoneYet("probe", "stuck");
    });
    const int wake_fd = loop.poller().wake_fd(), backend_fd = loop.poller().backend_fd();
    thread_ = std::thread([this, wake_fd, backend_fd] {
      std::unique_lock<std::mutex> lock(mu_);
      const int rounds = g_stuck_cases > 0 ? 2 : 20;
      for (int i = 0; i < rounds; ++i) {
        if (cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return done_; })) return;
        const std::uint64_t one = 1;  // eventfd (epoll backend); else the self-pipe's write end
        if (::write(wake_fd, &one, sizeof one) < 0) (void)!::write(backend_fd, "w", 1);
      }
      if (!done_) (void)!::write(wr_, "!", 1);
    });
  }
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (w_ && !w_->is_closing()) w_->stop();
    w_.reset();
    if (rd_ >= 0) ::close(rd_);
    if (wr_ >= 0) ::close(wr_);
  }

 private:
  int rd_ = -1, wr_ = -1;
  std::shared_ptr<IoWatcher> w_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

void pool_case(Rng& rng) {
  Loop loop(kata::virtual_clock(), LoopOptions{TickMode::Modern, unsigned(rng.between(1, 4)), 0});
  Guard guard(loop, false, 100000);
  Watchdog watchdog(loop);
  const auto loop_thread = std::this_thread::get_id();
  std::vector<std::string> results;  // collected in completion order, logged sorted
  bool all_on_loop = true;
  int after_calls = 0;
  // Everything random is drawn here, before any job runs: the order in
  // which jobs complete must not change what the probe draws.
  struct Job {
    std::string id;
    int value;
    bool throws, posts;
    std::shared_ptr<Job> child;  // queued from its after_work
  };
  std::function<std::shared_ptr<Job>(const std::string&, int)> draw = [&](const std::string& id, int depth) {
    auto j = std::make_shared<Job>();
    j->id = id;
    j->value = rng.between(0, 999);
    j->throws = rng.chance(20);
    j->posts = rng.chance(30);
    if (depth == 0 && rng.chance(25)) j->child = draw(id + ".1", depth + 1);
    return j;
  };
  std::function<void(std::shared_ptr<Job>)> submit = [&](std::shared_ptr<Job> job) {
    loop.queue_work(
        [&loop, &results, &all_on_loop, loop_thread, job] {
          if (job->posts) {
            loop.post([&results, &all_on_loop, loop_thread, job] {
              if (std::this_thread::get_id() != loop_thread) all_on_loop = false;
              results.push_back("job " + job->id + " posted");
            });
          }
          if (job->throws) throw ProbeError("job " + job->id);
        },
        [&, job](std::exception_ptr error) {
          ++after_calls;
          if (std::this_thread::get_id() != loop_thread) all_on_loop = false;
          results.push_back("job " + job->id + (error ? " error " + error_name(error) : " value " + std::to_string(job->value)));
          if (job->child) submit(job->child);
        });
  };
  std::vector<std::shared_ptr<Job>> roots;
  for (int i = rng.between(1, 10); i > 0; --i) roots.push_back(draw(std::to_string(roots.size()), 0));
  for (auto& j : roots) submit(j);
  int expected = 0;
  if (rng.chance(50)) {
    // read_file: a real file with known contents, or a missing one.
    char path[] = "/tmp/kata-probe-ch3-XXXXXX";
    const int fd = ::mkstemp(path);
    // Removed however the case ends (a KATA_TODO reached in run() included).
    struct Unlink {
      const char* path;
      ~Unlink() { ::unlink(path); }
    } unlink_at_end{path};
    const int size = rng.between(0, 3000);
    if (fd >= 0) {
      const std::string text(std::size_t(size), 'k');
      (void)!::write(fd, text.data(), text.size());
      ::close(fd);
    }
    const bool missing = rng.chance(30);
    const std::string file = missing ? std::string(path) + ".missing" : std::string(path);
    ++expected;
    loop.read_file(file, [&, file](int err, std::string data) {
      if (std::this_thread::get_id() != loop_thread) all_on_loop = false;
      results.push_back("read_file err " + std::to_string(err) + " size " + std::to_string(data.size()));
    });
    guarded([&] { loop.run(); });
  } else {
    guarded([&] { loop.run(); });
  }
  if (guard.turns() > 100000) ++g_stuck_cases;
  std::sort(results.begin(), results.end());
  for (const auto& r : results) log(r);
  log("after_work calls " + std::to_string(after_calls) + ", on the loop thread " + std::to_string(all_on_loop) +
      ", alive " + std::to_string(loop.alive()));
  (void)expected;
}

void one_program(Rng& rng) {
  if (rng.chance(20)) pool_case(rng);
  else virtual_case(rng);
}

void one_case(Rng& rng) { programs(rng, kPrograms, one_program); }

}  // namespace

KATA_PROBE(one_case);
