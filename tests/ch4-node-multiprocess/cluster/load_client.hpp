// A small load generator for the cluster tests: `concurrency` threads, each
// making one connection per request (Connection: close — cluster balances
// connections, so every request is a fresh scheduling decision), reading the
// whole answer and tallying which worker wrote it ("worker <id>").
// Blocking sockets with timeouts, on 127.0.0.1 only; bounded in count.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kata_cluster_test {

struct Answer {
  bool ok = false;
  int worker = -1;
  std::string error;
};

// When get_once is done with a connection.
enum class ReadUntil {
  // EOF: the worker has closed it, so it is done with this connection (and
  // free for the next one: what a strict rotation test needs).
  Close,
  // The whole response, by its Content-Length, without waiting for EOF: a
  // connection given to a second worker after its first one timed out stays
  // referenced by the first one's unread IPC queue, so its EOF waits for
  // that worker to go.
  ContentLength,
};

// One GET on a fresh connection, waiting at most timeout_ms for each step.
inline Answer get_once(int port, const std::string& path = "/", int timeout_ms = 3000,
                       ReadUntil until = ReadUntil::Close) {
  Answer a;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
    a.error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return a;
  }
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    a.error = std::string("send: ") + std::strerror(errno);
    ::close(fd);
    return a;
  }
  std::string resp;
  char buf[4096];
  for (;;) {
    const auto head = until == ReadUntil::ContentLength ? resp.find("\r\n\r\n") : std::string::npos;
    if (head != std::string::npos) {
      const auto cl = resp.find("Content-Length: ");
      if (cl != std::string::npos && cl < head &&
          resp.size() >= head + 4 + std::strtoul(resp.c_str() + cl + 16, nullptr, 10))
        break;
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      a.error = std::string("recv: ") + std::strerror(errno);
      break;
    }
    if (n == 0) break;
    resp.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (!a.error.empty()) return a;
  const auto body = resp.find("\r\n\r\n");
  if (resp.rfind("HTTP/1.1 200 ", 0) != 0 || body == std::string::npos) {
    a.error = resp.empty() ? "closed without an answer" : "bad answer: " + resp.substr(0, 40);
    return a;
  }
  const std::string text = resp.substr(body + 4);
  if (text.rfind("worker ", 0) != 0) {
    a.error = "unexpected body: " + text;
    return a;
  }
  a.ok = true;
  a.worker = std::atoi(text.c_str() + 7);
  return a;
}

struct LoadResult {
  std::map<int, std::uint64_t> by_worker;  // answers per worker id
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::vector<std::string> errors;  // the first few
};

// `total` requests from `concurrency` threads (fewer if `stop` becomes true).
inline LoadResult run_load(int port, int total, int concurrency, const std::string& path = "/",
                           const std::atomic<bool>* stop = nullptr) {
  LoadResult r;
  std::mutex mu;
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t)
    threads.emplace_back([&] {
      while (next.fetch_add(1) < total && !(stop && stop->load())) {
        Answer a = get_once(port, path);
        std::lock_guard<std::mutex> lock(mu);
        if (a.ok) {
          ++r.ok;
          ++r.by_worker[a.worker];
        } else {
          ++r.failed;
          if (r.errors.size() < 5) r.errors.push_back(a.error);
        }
      }
    });
  for (auto& t : threads) t.join();
  return r;
}

}  // namespace kata_cluster_test
