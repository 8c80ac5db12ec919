// thundering_herd — how many processes wake up per accepted connection?
//
// The seed (最初的多进程模型): "every new connection wakes all the workers,
// one accepts, the others fail and go back to sleep — 惊群". True for some ways
// of waiting, false for others on a modern Linux. This program measures it:
// N worker processes wait for connections in one of five ways, a client makes
// M connections one at a time (each waits until the connection is closed by
// the worker, so every worker is asleep again when the next one arrives), and
// each worker counts
//   returns — times its wait call (accept / epoll_wait / recvmsg) came back,
//   wasted  — of those, the ones that found nothing to accept (EAGAIN),
//   nvcsw   — voluntary context switches (getrusage): times it went to sleep,
//             i.e. kernel wake-ups, including those epoll swallows before
//             returning to user space.
// Modes:
//   accept     all block in accept() on one shared socket   (kernel: exclusive wait, wakes 1)
//   epoll      all watch the shared socket, each its own epoll fd (wakes every waiter)
//   exclusive  the same with EPOLLEXCLUSIVE (Linux 4.5: wakes one or more)
//   reuseport  each its own SO_REUSEPORT socket            (kernel hashes connections)
//   rr         a dispatcher accepts and passes fds round-robin over socketpairs (cluster's way)
// Usage: thundering_herd [--mode all|accept|epoll|exclusive|reuseport|rr] [--workers N]
//                        [--connections M] [--json]
// Standalone (no project headers) so scripts can build it with one g++ line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int kMaxWorkers = 64;

struct WorkerStats {
  std::atomic<long> returns, wasted, accepted, nvcsw;
  std::atomic<int> ready;
};
struct Shared {
  WorkerStats w[kMaxWorkers + 1];  // [kMaxWorkers] = the rr dispatcher
};

volatile sig_atomic_t g_stop = 0;
void on_term(int) { g_stop = 1; }

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(2);
}

int listener(bool reuseport, int port, bool nonblocking) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) die("socket");
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuseport && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) die("SO_REUSEPORT");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(uint16_t(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) die("bind");
  if (::listen(fd, 511) < 0) die("listen");
  return fd;
}

int port_of(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

long nvcsw() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_nvcsw;
}

void install_term_handler() {
  struct sigaction sa{};
  sa.sa_handler = on_term;  // no SA_RESTART: a blocked accept/epoll_wait returns EINTR
  ::sigaction(SIGTERM, &sa, nullptr);
}

// Each worker: wait, count, accept everything ready, close it (the client sees EOF).
void worker_accept_loop(int lfd, WorkerStats& st) {
  const long base = nvcsw();
  st.ready = 1;
  while (!g_stop) {
    int c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0 && errno == EINTR) break;
    ++st.returns;
    if (c < 0) { ++st.wasted; continue; }
    ++st.accepted;
    ::close(c);
  }
  st.nvcsw = nvcsw() - base;
}

void worker_epoll_loop(int lfd, WorkerStats& st, uint32_t extra) {
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN | extra;
  ev.data.fd = lfd;
  if (::epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) die("epoll_ctl");
  const long base = nvcsw();
  st.ready = 1;
  while (!g_stop) {
    epoll_event out[8];
    int n = ::epoll_wait(ep, out, 8, -1);
    if (n < 0 && errno == EINTR) break;
    ++st.returns;
    bool got = false;
    for (;;) {
      int c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (c < 0) break;
      got = true;
      ++st.accepted;
      ::close(c);
    }
    if (!got) ++st.wasted;
  }
  st.nvcsw = nvcsw() - base;
  ::close(ep);
}

void worker_rr_loop(int chan, WorkerStats& st) {
  const long base = nvcsw();
  st.ready = 1;
  while (!g_stop) {
    char byte;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char ctrl[CMSG_SPACE(sizeof(int))];
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctrl;
    m.msg_controllen = sizeof ctrl;
    ssize_t n = ::recvmsg(chan, &m, MSG_CMSG_CLOEXEC);
    if (n < 0 && errno == EINTR) break;
    if (n <= 0) break;
    ++st.returns;
    cmsghdr* c = CMSG_FIRSTHDR(&m);
    if (c == nullptr || c->cmsg_type != SCM_RIGHTS) { ++st.wasted; continue; }
    int fd;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    ++st.accepted;
    ::close(fd);
  }
  st.nvcsw = nvcsw() - base;
}

void send_fd(int chan, int fd) {
  char byte = 'c';
  iovec iov{&byte, 1};
  alignas(cmsghdr) char ctrl[CMSG_SPACE(sizeof(int))] = {};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = ctrl;
  m.msg_controllen = sizeof ctrl;
  cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  while (::sendmsg(chan, &m, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
}

void dispatcher_loop(int lfd, const std::vector<int>& chans, WorkerStats& st) {
  const long base = nvcsw();
  st.ready = 1;
  size_t next = 0;
  while (!g_stop) {
    int c = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0 && errno == EINTR) break;
    ++st.returns;
    if (c < 0) { ++st.wasted; continue; }
    ++st.accepted;
    send_fd(chans[next], c);
    next = (next + 1) % chans.size();
    ::close(c);
  }
  st.nvcsw = nvcsw() - base;
}

// One connection at a time: connect, wait for the worker's close (EOF).
long run_client(int port, long connections) {
  long ok = 0;
  for (long i = 0; i < connections; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(uint16_t(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      timeval tv{2, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      char b;
      if (::read(fd, &b, 1) == 0) ++ok;
    }
    ::close(fd);
  }
  return ok;
}

struct Result {
  std::string mode;
  int workers = 0;
  long connections = 0, answered = 0, accepted = 0, returns = 0, wasted = 0, nvcsw = 0;
  long primary_nvcsw = -1;  // rr only: the dispatcher wakes once per connection too
  double max_over_min = 0, jain = 0;
  std::vector<long> per_worker;
};

Result measure(const std::string& mode, int workers, long connections) {
  auto* sh = static_cast<Shared*>(::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE,
                                         MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  if (sh == MAP_FAILED) die("mmap");
  new (sh) Shared();
  const bool reuseport = mode == "reuseport";
  int shared_fd = -1, port = 0;
  if (!reuseport) {
    shared_fd = listener(false, 0, mode == "epoll" || mode == "exclusive");
    port = port_of(shared_fd);
  } else {
    // Reserve a port: bind one SO_REUSEPORT listener to learn it, keep it out of the group.
    int probe = listener(true, 0, false);
    port = port_of(probe);
    ::close(probe);
  }
  std::vector<pid_t> pids;
  std::vector<int> parent_ends;
  std::vector<int> worker_ends;
  for (int i = 0; i < workers; ++i) {
    int sv[2] = {-1, -1};
    if (mode == "rr" && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) die("socketpair");
    pid_t pid = ::fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      install_term_handler();
      if (mode == "accept") worker_accept_loop(shared_fd, sh->w[i]);
      else if (mode == "epoll") worker_epoll_loop(shared_fd, sh->w[i], 0);
      else if (mode == "exclusive") worker_epoll_loop(shared_fd, sh->w[i], EPOLLEXCLUSIVE);
      else if (mode == "reuseport") worker_accept_loop(listener(true, port, false), sh->w[i]);
      else {
        ::close(sv[0]);
        worker_rr_loop(sv[1], sh->w[i]);
      }
      ::_exit(0);
    }
    pids.push_back(pid);
    if (mode == "rr") {
      ::close(sv[1]);
      parent_ends.push_back(sv[0]);
    }
  }
  pid_t dispatcher = -1;
  if (mode == "rr") {
    dispatcher = ::fork();
    if (dispatcher == 0) {
      install_term_handler();
      dispatcher_loop(shared_fd, parent_ends, sh->w[kMaxWorkers]);
      ::_exit(0);
    }
  }
  // Wait until every waiter is in place, then give them a moment to block.
  for (int spins = 0; spins < 5000; ++spins) {
    int ready = 0;
    for (int i = 0; i < workers; ++i) ready += sh->w[i].ready;
    if (ready == workers && (dispatcher < 0 || sh->w[kMaxWorkers].ready)) break;
    ::usleep(1000);
  }
  ::usleep(50000);
  Result r;
  r.mode = mode;
  r.workers = workers;
  r.connections = connections;
  r.answered = run_client(port, connections);
  ::usleep(50000);  // let late wake-ups be counted
  for (pid_t p : pids) ::kill(p, SIGTERM);
  if (dispatcher > 0) ::kill(dispatcher, SIGTERM);
  for (pid_t p : pids) ::waitpid(p, nullptr, 0);
  if (dispatcher > 0) ::waitpid(dispatcher, nullptr, 0);
  for (int fd : parent_ends) ::close(fd);
  if (shared_fd >= 0) ::close(shared_fd);
  long mn = -1, mx = 0;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < workers; ++i) {
    const WorkerStats& s = sh->w[i];
    r.accepted += s.accepted;
    r.returns += s.returns;
    r.wasted += s.wasted;
    r.nvcsw += s.nvcsw;
    r.per_worker.push_back(s.accepted);
    mn = mn < 0 ? s.accepted.load() : std::min(mn, s.accepted.load());
    mx = std::max(mx, s.accepted.load());
    sum += double(s.accepted);
    sum_sq += double(s.accepted) * double(s.accepted);
  }
  if (dispatcher > 0) r.primary_nvcsw = sh->w[kMaxWorkers].nvcsw;
  r.max_over_min = mn > 0 ? double(mx) / double(mn) : INFINITY;
  r.jain = sum_sq > 0 ? sum * sum / (workers * sum_sq) : 1.0;
  ::munmap(sh, sizeof(Shared));
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "all";
  int workers = 4;
  long connections = 2000;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--mode") mode = val();
    else if (a == "--workers") workers = std::atoi(val().c_str());
    else if (a == "--connections") connections = std::atol(val().c_str());
    else if (a == "--json") json = true;
    else {
      std::fprintf(stderr, "usage: %s [--mode all|accept|epoll|exclusive|reuseport|rr] [--workers N] "
                           "[--connections M] [--json]\n", argv[0]);
      return 2;
    }
  }
  if (workers < 1 || workers > kMaxWorkers || connections < 1 || connections > 1000000) {
    std::fprintf(stderr, "workers must be 1..%d, connections 1..1000000\n", kMaxWorkers);
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> modes;
  if (mode == "all") modes = {"accept", "epoll", "exclusive", "reuseport", "rr"};
  else modes = {mode};
  if (!json) {
    std::printf("| wait mode | workers | connections | answered | wake-ups (returns) / accept | wasted / accept | "
                "sleeps (nvcsw) / accept | + primary sleeps / accept | per worker | max/min | Jain |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  }
  for (const auto& m : modes) {
    Result r = measure(m, workers, connections);
    std::string per;
    for (size_t i = 0; i < r.per_worker.size(); ++i) {
      if (i > 0) per += json ? "," : " ";
      per += std::to_string(r.per_worker[i]);
    }
    const double acc = r.accepted > 0 ? double(r.accepted) : 1.0;
    if (json)
      std::printf("{\"mode\":\"%s\",\"workers\":%d,\"connections\":%ld,\"answered\":%ld,\"accepted\":%ld,"
                  "\"returns_per_accept\":%.3f,\"wasted_per_accept\":%.3f,\"nvcsw_per_accept\":%.3f,"
                  "\"primary_nvcsw_per_accept\":%.3f,\"per_worker\":[%s],\"max_over_min\":%.3f,\"jain\":%.4f}\n",
                  r.mode.c_str(), r.workers, r.connections, r.answered, r.accepted, r.returns / acc,
                  r.wasted / acc, r.nvcsw / acc, r.primary_nvcsw < 0 ? 0.0 : r.primary_nvcsw / acc, per.c_str(), std::isinf(r.max_over_min) ? -1.0 : r.max_over_min,
                  r.jain);
    else
      std::printf("| %s | %d | %ld | %ld | %.2f | %.2f | %.2f | %s | %s | %s | %.3f |\n", r.mode.c_str(), r.workers,
                  r.connections, r.answered, r.returns / acc, r.wasted / acc, r.nvcsw / acc,
                  r.primary_nvcsw < 0 ? "-" : std::to_string(r.primary_nvcsw / acc).substr(0, 4).c_str(), per.c_str(),
                  std::isinf(r.max_over_min) ? "inf" : std::to_string(r.max_over_min).substr(0, 5).c_str(),
                  r.jain);
    std::fflush(stdout);
  }
  return 0;
}
