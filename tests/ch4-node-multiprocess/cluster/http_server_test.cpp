// Chapter 4, exercise 7, the server side: the workers' HttpServer (cluster
// support, always built from the reference parser) against hostile clients —
// slowloris heads and bodies (Node's headersTimeout / requestTimeout), bytes
// the parser refuses, and a flood of pipelined requests. Real sockets on
// 127.0.0.1; every client is bounded in bytes and time.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_server.hpp"
#include "kata/testing.hpp"
#include "net.hpp"
#include "node_runtime.hpp"

namespace cl = kata::cluster;
namespace http = kata::http;
namespace node = kata::node;
using Clock = std::chrono::steady_clock;

namespace {

struct Step {
  int delay_ms;  // after the previous step
  std::string bytes;
};

struct Seen {
  std::string bytes;     // everything the server sent
  bool closed = false;   // EOF (or reset) before the window ended
  double closed_at = 0;  // ms after connect() was called
};

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
  return fd;
}

// One client: connects, sends each step at its time, reads all along, and
// stops at EOF or when `window_ms` is over.
Seen play(int port, const std::vector<Step>& steps, int window_ms) {
  const auto t0 = Clock::now();
  const auto ms_since = [&](Clock::time_point t) { return std::chrono::duration<double, std::milli>(t - t0).count(); };
  const int fd = connect_to(port);
  Seen seen;
  std::size_t next = 0;
  double next_at = steps.empty() ? 0 : steps[0].delay_ms;
  for (;;) {
    const double now = ms_since(Clock::now());
    if (now >= window_ms) break;
    if (next < steps.size() && now >= next_at) {
      ::send(fd, steps[next].bytes.data(), steps[next].bytes.size(), MSG_NOSIGNAL);  // may fail once closed
      if (++next < steps.size()) next_at += steps[next].delay_ms;
      continue;
    }
    double wait = window_ms - now;
    if (next < steps.size()) wait = std::min(wait, next_at - now);
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait) + 1) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      seen.bytes.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    seen.closed = true;
    seen.closed_at = ms_since(Clock::now());
    break;
  }
  ::close(fd);
  return seen;
}

// "408 then closed": the status of every response, then what became of the connection.
std::string summary(const Seen& s) {
  std::string out;
  for (std::size_t at = s.bytes.find("HTTP/1.1 "); at != std::string::npos; at = s.bytes.find("HTTP/1.1 ", at + 1))
    out += s.bytes.substr(at + 9, 3) + " ";
  return out + (s.closed ? "then closed" : "then open");
}

std::vector<Step> trickle(const std::string& bytes, int every_ms) {
  std::vector<Step> steps;
  for (char c : bytes) steps.push_back({every_ms, std::string(1, c)});
  return steps;
}

// Runs `clients` (each on its own thread, all at once) against an HttpServer on
// this thread's loop; the server answers "ok", or after 600 ms for /slow.
// `rcvbuf` > 0 shrinks the connections' receive buffer (SO_RCVBUF is inherited from the listener).
template <class Clients>
void with_server(cl::HttpServerOptions options, Clients clients, int rcvbuf = 0) {
  kata::RealClock clock;
  node::Loop loop(clock);
  kata::testing::describe_pending([&] { return loop.describe(); });
  cl::HttpServer server(loop, [&loop](const http::Request& req, cl::HttpServer::Respond respond) {
    http::Response res;
    res.body = "ok";
    if (req.target != "/slow") return respond(std::move(res));
    loop.set_timeout([respond, res] { respond(res); }, 600);
  }, options);
  const int lfd = cl::net::listen_tcp("127.0.0.1", 0, false);
  if (rcvbuf > 0) ::setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  server.listen_fd(lfd);
  const int port = server.address().port;
  std::thread driver([&] {
    clients(port);
    loop.post([&server] { server.close(); });
  });
  loop.run();
  driver.join();
}

class HttpServerTimeouts : public kata::testing::NoLeaks {};
class HttpServer : public kata::testing::NoLeaks {};

}  // namespace

TEST_F(HttpServerTimeouts, DefaultsAreNodes) {
  const cl::HttpServerOptions o;
  EXPECT_EQ(o.headers_timeout, 60000);
  EXPECT_EQ(o.request_timeout, 300000);
  EXPECT_EQ(o.connections_checking_interval, 30000);
}

TEST_F(HttpServerTimeouts, AHeadersTimeoutLongerThanTheRequestTimeoutIsRefused) {
  kata::RealClock clock;
  node::Loop loop(clock);
  auto ok = cl::HttpServer::sync([](const http::Request&, http::Response&) {});
  EXPECT_THROW(cl::HttpServer(loop, ok, {.headers_timeout = 500, .request_timeout = 400}), std::invalid_argument);
  EXPECT_NO_THROW(cl::HttpServer(loop, ok, {.headers_timeout = 500, .request_timeout = 0}));
}

TEST_F(HttpServerTimeouts, SlowClientsGet408AndAreClosedLikeNode) {
  // Small timeouts; the twin runs the same clients against Node's server.
  kata::testing::set_watchdog_seconds(20);
  const std::string head = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  std::vector<Step> prompt;
  for (int i = 0; i < 8; ++i) prompt.push_back({100, head});
  struct Client {
    std::string name;
    std::vector<Step> steps;
  };
  const std::vector<Client> clients = {
      {"silent", {}},
      {"half head", {{0, "GET / HTTP/1.1\r\nHost: h\r\n"}}},
      {"trickled head", trickle("GET / HTTP/1.1\r\nX-Trickle: abcdefghijklmnopqrstuvwxyz\r\n\r\n", 30)},
      {"trickled body", [] {
         auto steps = trickle(std::string(40, 'x'), 30);
         steps.insert(steps.begin(), {0, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 40\r\n\r\n"});
         return steps;
       }()},
      {"complete then half", {{0, head + "GET /2 HTTP/1.1\r\n"}}},
      {"prompt keep-alive", prompt},
      {"slow handler", {{0, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"}}},
      {"nul in a value", {{0, std::string("GET / HTTP/1.1\r\nHost: h\r\nX: a") + '\0' + "b\r\n\r\n"}}},
  };
  std::vector<Seen> seen(clients.size());
  with_server({.headers_timeout = 200, .request_timeout = 400, .connections_checking_interval = 50}, [&](int port) {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < clients.size(); ++i)
      threads.emplace_back([&, i] { seen[i] = play(port, clients[i].steps, 1500); });
    for (auto& t : threads) t.join();
  });
  kata::testing::Lines ours;
  for (std::size_t i = 0; i < clients.size(); ++i) ours.push_back(clients[i].name + ": " + summary(seen[i]));
  const kata::testing::Lines expected = {
      "silent: 408 then closed",
      "half head: 408 then closed",
      "trickled head: 408 then closed",
      "trickled body: 408 then closed",
      "complete then half: 200 408 then closed",
      "prompt keep-alive: 200 200 200 200 200 200 200 200 then open",
      "slow handler: 200 then open",
      "nul in a value: 400 then closed",
  };
  EXPECT_ORDER(expected, ours);
  // Not before its time: the head's clock (200 ms), and for the body the request's (400 ms).
  EXPECT_GE(seen[1].closed_at, 190) << "half head";
  EXPECT_GE(seen[3].closed_at, 390) << "trickled body: only request_timeout applies once the head is in";
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/cluster/js/http_server_timeouts.js", expected);
}

TEST_F(HttpServerTimeouts, ZeroTurnsThemOff) {
  std::vector<Seen> seen(1);
  with_server({.headers_timeout = 0, .request_timeout = 0, .connections_checking_interval = 20}, [&](int port) {
    seen[0] = play(port, {{0, "GET / HTTP/1.1\r\nHost: h\r\n"}}, 300);
  });
  EXPECT_EQ(summary(seen[0]), "then open");
}

TEST_F(HttpServer, AFloodOfPipelinedRequestsIsServedInOrder) {
  // 20 000 requests in one go behind a slow first one: the server must neither
  // recurse once per queued request (the stack) nor queue without bound.
  kata::testing::set_watchdog_seconds(20);
  constexpr int kRequests = 20000;
  std::string flood = "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n";
  for (int i = 1; i < kRequests; ++i) flood += "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  int answered = 0;
  bool in_order = true;
  with_server({}, [&](int port) {
    const int fd = connect_to(port);
    std::size_t sent = 0;
    std::string got;
    std::size_t scanned = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (answered < kRequests && Clock::now() < deadline) {
      pollfd p{fd, static_cast<short>(POLLIN | (sent < flood.size() ? POLLOUT : 0)), 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      if (p.revents & POLLOUT) {
        const ssize_t n = ::send(fd, flood.data() + sent, flood.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) sent += static_cast<std::size_t>(n);
      }
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[65536];
        const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN)) break;
        if (n > 0) got.append(buf, static_cast<std::size_t>(n));
        for (std::size_t at; (at = got.find("\r\n\r\nok", scanned)) != std::string::npos; scanned = at + 6) {
          in_order = in_order && got.compare(scanned, 15, "HTTP/1.1 200 OK") == 0;
          ++answered;
        }
      }
    }
    ::close(fd);
  });
  EXPECT_EQ(answered, kRequests);
  EXPECT_TRUE(in_order);
}

TEST_F(HttpServer, RequestsQueuedBehindABusyHandlerStopTheReading) {
  // A client that pipelines without end while the handler works on its first
  // request: the server stops reading (as Node pauses the socket) instead of
  // parsing and queueing everything. Small socket buffers make "stopped" show:
  // the client can push little more than what the buffers hold.
  kata::testing::set_watchdog_seconds(20);
  std::string flood = "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n";
  while (flood.size() < (8u << 20)) flood += "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  std::size_t pushed = 0;
  with_server({}, [&](int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int small = 16384;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    const auto until = Clock::now() + std::chrono::milliseconds(400);  // the handler answers at 600 ms
    while (pushed < flood.size() && Clock::now() < until) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const ssize_t n = ::send(fd, flood.data() + pushed, flood.size() - pushed, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) pushed += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }, 16384);
  EXPECT_LT(pushed, 256u << 10) << "bytes the server took in while its handler was busy";
}

TEST_F(HttpServer, CloseWithoutACallbackDoesNotWaitOutTheGracePeriod) {
  // close() while a request is in flight arms the grace timer; once that last
  // connection is done the timer must go, callback or not — else the worker's
  // loop stays alive for the whole grace period.
  kata::testing::set_watchdog_seconds(20);
  kata::RealClock clock;
  node::Loop loop(clock);
  cl::HttpServer* server_ptr = nullptr;
  cl::HttpServer server(loop, [&](const http::Request&, cl::HttpServer::Respond respond) {
    server_ptr->close({}, 10000);
    loop.set_timeout([respond] { respond(http::Response{}); }, 100);
  });
  server_ptr = &server;
  server.listen_fd(cl::net::listen_tcp("127.0.0.1", 0, false));
  const int port = server.address().port;
  std::string got;
  std::thread client([&] {
    const int fd = connect_to(port);
    const std::string req = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    char buf[1024];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) got.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
  });
  const auto t0 = Clock::now();
  loop.run();
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  client.join();
  EXPECT_EQ(got.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << got;
  EXPECT_LT(ms, 5000) << "the loop waited for the 10 s grace timer of a server with no connection left";
}
