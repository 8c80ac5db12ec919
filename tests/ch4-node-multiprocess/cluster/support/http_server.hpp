// The worker's HTTP server: connections come either from a listening fd it
// accepts on (policies none / reuseport, or a plain single process) or one by
// one from the primary (policy rr). Requests are parsed with exercise 7's
// parser and answered synchronously by the handler.
//
// Graceful close (what cluster's disconnect needs): stop accepting, close idle
// keep-alive connections at once, let busy ones finish their current request
// (answered with Connection: close), then report closed.
//
// Slow clients (slowloris): as Node's server, a request must arrive whole in
// time. The clock starts at connect, and again at the first byte of each later
// request; every connections_checking_interval the server answers 408 and
// closes a connection whose head took longer than headers_timeout, or whose
// request (head + body) took longer than request_timeout. A request that has
// fully arrived is never timed out (the handler may take its time), nor is a
// keep-alive connection between requests.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "http.hpp"
#include "net.hpp"
#include "node_runtime.hpp"

namespace kata::cluster {

// Node's names and defaults (http.createServer options), in milliseconds.
// 0 turns a timeout off; headers_timeout may not exceed request_timeout.
struct HttpServerOptions {
  double headers_timeout = 60000;                // server.headersTimeout
  double request_timeout = 300000;               // server.requestTimeout (Node 18+)
  double connections_checking_interval = 30000;  // server.connectionsCheckingInterval
};

class HttpServer {
 public:
  // The handler answers now or later by calling `respond` once (a slow
  // request stays in flight meanwhile). Requests pipelined on one connection
  // are handed out one at a time, so answers keep their order.
  using Respond = std::function<void(http::Response)>;
  using Handler = std::function<void(const http::Request&, Respond respond)>;
  // Throws std::invalid_argument for options Node refuses (ERR_OUT_OF_RANGE).
  HttpServer(node::Loop& loop, Handler handler, HttpServerOptions options = {});
  // A handler that answers at once.
  static Handler sync(std::function<void(const http::Request&, http::Response&)> fn);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Accept connections on this listening socket (takes ownership).
  void listen_fd(int fd);
  // A connection accepted elsewhere (the rr primary); takes ownership.
  // false (and the fd is NOT taken) once the server is closing.
  bool add_connection(int fd);

  // Stops accepting; idle connections close now, busy ones after their
  // response; `on_closed` runs when none is left. Connections still open
  // after `grace_ms` are cut.
  void close(std::function<void()> on_closed = {}, double grace_ms = 5000);
  // Cuts every connection now (a crash, or the grace period is over).
  void destroy_connections();

  bool closing() const { return closing_; }
  bool listening() const { return listen_fd_ >= 0; }
  std::size_t connections() const { return conns_.size(); }
  std::uint64_t requests_served() const { return requests_; }
  std::uint64_t connections_accepted() const { return accepted_; }
  net::Address address() const { return net::local_address(listen_fd_); }
  const HttpServerOptions& options() const { return options_; }

 private:
  struct Conn {
    int fd;
    std::uint64_t id;  // fds are reused: a late respond() must not reach a newer connection
    std::shared_ptr<node::IoWatcher> watcher;
    http::RequestParser parser;
    std::string out;
    bool close_after_write = false;
    bool received_bytes = false;  // part of a request read but not answered
    bool busy = false;            // the handler has not responded yet
    bool answered_one = false;    // a brand-new connection's request is on its way: not idle
    bool serving = false;         // inside serve()'s loop (a handler answering at once lands there)
    std::int64_t request_start = -1;  // loop time this request began (at connect for the first); -1: none
  };
  void on_accept();
  void on_conn_io(int fd, int events);
  void serve(Conn& c);
  void drop(int fd);
  void maybe_closed();
  void write_out(Conn& c);
  void want(Conn& c, int events);  // the watcher's interest: kReadable, kWritable or 0 (paused)
  int reading_interest(const Conn& c) const;
  void note_progress(Conn& c, std::size_t ready_before);
  void check_connections();
  void request_timed_out(Conn& c);
  // Idle = between requests of a keep-alive connection. A connection that has
  // not had its first request yet is NOT idle: closing it would reset a client
  // whose request is already in the network (a rolling restart would drop it).
  bool idle(const Conn& c) const { return c.answered_one && c.out.empty() && !c.received_bytes && !c.busy; }

  node::Loop& loop_;
  Handler handler_;
  int listen_fd_ = -1;
  std::shared_ptr<node::IoWatcher> listen_watcher_;
  std::map<int, std::unique_ptr<Conn>> conns_;
  bool closing_ = false;
  std::function<void()> on_closed_;
  node::Timeout grace_timer_{};
  HttpServerOptions options_;
  node::Timeout check_timer_{};  // every connections_checking_interval; unref'd, as Node's
  std::uint64_t requests_ = 0;
  std::uint64_t accepted_ = 0;
  std::uint64_t next_conn_id_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace kata::cluster
