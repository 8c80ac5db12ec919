#include "http_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

namespace kata::cluster {

HttpServer::HttpServer(node::Loop& loop, Handler handler, HttpServerOptions options)
    : loop_(loop), handler_(std::move(handler)), options_(options) {
  const auto& o = options_;
  if (o.headers_timeout < 0 || o.request_timeout < 0 || o.connections_checking_interval < 0)
    throw std::invalid_argument("HttpServer: timeouts are >= 0 (0 = off)");
  if (o.headers_timeout > 0 && o.request_timeout > 0 && o.headers_timeout > o.request_timeout)
    throw std::invalid_argument("HttpServer: headers_timeout must be <= request_timeout");  // Node: ERR_OUT_OF_RANGE
}

HttpServer::Handler HttpServer::sync(std::function<void(const http::Request&, http::Response&)> fn) {
  return [fn = std::move(fn)](const http::Request& req, Respond respond) {
    http::Response res;
    fn(req, res);
    respond(std::move(res));
  };
}

HttpServer::~HttpServer() {
  *alive_ = false;
  if (grace_timer_) loop_.clear_timeout(grace_timer_);
  if (check_timer_) loop_.clear_interval(check_timer_);
  if (listen_watcher_ && !listen_watcher_->is_closing()) listen_watcher_->close();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (auto& [fd, c] : conns_) {
    if (!c->watcher->is_closing()) c->watcher->close();
    ::close(fd);
  }
}

void HttpServer::listen_fd(int fd) {
  listen_fd_ = fd;
  net::set_nonblocking(fd);
  listen_watcher_ = loop_.watch_fd(fd);
  auto alive = alive_;
  listen_watcher_->start(node::kReadable, [this, alive](int) {
    if (*alive) on_accept();
  });
}

void HttpServer::on_accept() {
  // Accept what is waiting — but a few at a time, so that with a shared
  // listening socket (policy none) the herd question stays the kernel's.
  for (int i = 0; i < 16 && !closing_; ++i) {
    const int fd = net::accept_connection(listen_fd_);
    if (fd < 0) return;  // EAGAIN: another worker took it, or nothing left
    add_connection(fd);
  }
}

bool HttpServer::add_connection(int fd) {
  if (closing_) return false;
  net::set_nonblocking(fd);
  auto c = std::make_unique<Conn>();
  c->fd = fd;
  c->id = next_conn_id_++;
  c->request_start = loop_.now();  // Node starts the first request's clock at connect
  c->watcher = loop_.watch_fd(fd);
  want(*c, node::kReadable);
  conns_[fd] = std::move(c);
  ++accepted_;
  if (!check_timer_ && (options_.headers_timeout > 0 || options_.request_timeout > 0)) {
    auto alive = alive_;
    check_timer_ = loop_.set_interval([this, alive] {
      if (*alive) check_connections();
    }, options_.connections_checking_interval);
    loop_.unref(check_timer_);  // as Node's: it never keeps a process alive
  }
  return true;
}

void HttpServer::note_progress(Conn& c, std::size_t ready_before) {
  // A request's clock runs from its first byte until it is complete.
  if (c.parser.ready() > ready_before)
    c.request_start = c.parser.mid_request() ? loop_.now() : -1;  // the next one began in the same read
  else if (c.request_start < 0 && c.parser.mid_request())
    c.request_start = loop_.now();
}

void HttpServer::check_connections() {
  // Node's checkConnections(): late heads and late requests get 408.
  const std::int64_t now = loop_.now();
  std::vector<int> late;
  for (auto& [fd, c] : conns_) {
    if (c->request_start < 0) continue;
    const double age = static_cast<double>(now - c->request_start);
    const bool head_late = options_.headers_timeout > 0 && !c->parser.head_complete() && age > options_.headers_timeout;
    const bool request_late = options_.request_timeout > 0 && age > options_.request_timeout;
    if (head_late || request_late) late.push_back(fd);
  }
  for (int fd : late) {
    auto it = conns_.find(fd);
    if (it != conns_.end()) request_timed_out(*it->second);
  }
}

void HttpServer::request_timed_out(Conn& c) {
  c.request_start = -1;
  // A response already on its way: a 408 in its middle would corrupt it; just cut (as Node).
  if (!c.out.empty() || c.close_after_write) return drop(c.fd);
  http::Response res;
  res.status = 408;
  res.keep_alive = false;
  c.busy = false;  // a handler still working on an earlier request answers into the void
  c.out = http::write_response(res);
  c.close_after_write = true;
  write_out(c);
}

void HttpServer::on_conn_io(int fd, int events) {
  auto it = conns_.find(fd);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  if (events & node::kWritable) {
    while (!c.out.empty()) {
      const ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n < 0) return drop(fd);
      c.out.erase(0, static_cast<std::size_t>(n));
    }
    if (!c.out.empty()) return;
    if (c.close_after_write) return drop(fd);
    want(c, reading_interest(c));
    if (closing_ && idle(c)) return drop(fd);
    return;
  }
  char buf[16384];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return drop(fd);  // the client closed (or reset)
    c.received_bytes = true;
    const std::size_t ready_before = c.parser.ready();
    c.parser.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    note_progress(c, ready_before);
    if (static_cast<std::size_t>(n) < sizeof buf || c.parser.ready() > 0) break;
  }
  serve(c);
}

void HttpServer::serve(Conn& c) {
  // One request at a time, in a loop: a handler that answers at once calls
  // respond() → serve() from inside this loop, which then just returns (a
  // recursion would go one frame deeper per pipelined request: 20 000 of
  // them overflow the stack).
  if (c.serving) return;
  const int fd = c.fd;
  const std::uint64_t id = c.id;
  auto alive = alive_;
  c.serving = true;
  while (!c.busy && !c.close_after_write) {
    auto req = c.parser.next();
    if (!req) break;
    c.busy = true;
    const bool keep = req->keep_alive;
    handler_(*req, [this, alive, fd, id, keep](http::Response res) {
      if (!*alive) return;
      auto it = conns_.find(fd);
      if (it == conns_.end() || it->second->id != id || !it->second->busy) return;  // cut meanwhile
      Conn& conn = *it->second;
      conn.busy = false;
      conn.answered_one = true;
      ++requests_;
      res.keep_alive = keep && !closing_;
      if (conn.out.empty()) {
        conn.out = http::write_response(res);  // the usual case: no copy
      } else {
        conn.out += http::write_response(res);
      }
      if (!res.keep_alive) conn.close_after_write = true;
      serve(conn);  // the next pipelined request, then write
    });
    // The handler may have cut this connection (or all of them) meanwhile.
    if (!*alive) return;
    auto it = conns_.find(fd);
    if (it == conns_.end() || it->second->id != id) return;
  }
  c.serving = false;
  if (!c.busy && !c.close_after_write && c.parser.error_status() != 0) {
    http::Response res;
    res.status = c.parser.error_status();
    res.keep_alive = false;
    c.out += http::write_response(res);
    c.close_after_write = true;
  }
  if (!c.busy) c.received_bytes = false;  // what the parser still holds is not a request yet
  write_out(c);
}

int HttpServer::reading_interest(const Conn& c) const {
  // Requests already queued behind a busy handler: read no more until they are
  // served (as Node pauses the socket), or a client that pipelines without
  // reading the answers makes the queue grow without bound.
  return c.parser.ready() > 0 ? 0 : node::kReadable;
}

void HttpServer::want(Conn& c, int events) {
  if (events == 0) {
    if (c.watcher->is_active()) c.watcher->stop();
    return;
  }
  if (c.watcher->is_active() && c.watcher->events() == events) return;  // no epoll_ctl per request
  auto alive = alive_;
  const int fd = c.fd;
  c.watcher->start(events, [this, alive, fd](int ev) {
    if (*alive) on_conn_io(fd, ev);
  });
}

void HttpServer::write_out(Conn& c) {
  const int fd = c.fd;
  while (!c.out.empty()) {
    const ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0) return drop(fd);
    c.out.erase(0, static_cast<std::size_t>(n));
  }
  if (!c.out.empty()) return want(c, node::kWritable);
  if (c.close_after_write || (closing_ && idle(c))) return drop(fd);
  want(c, reading_interest(c));
}

void HttpServer::drop(int fd) {
  auto it = conns_.find(fd);
  if (it == conns_.end()) return;
  // shutdown() first: close() alone sends no FIN while another copy of the
  // socket exists (a connection the primary re-sent after a reply timeout
  // may still sit, unread, in a hung worker's IPC queue).
  ::shutdown(fd, SHUT_RDWR);
  it->second->watcher->close([fd] { ::close(fd); });
  conns_.erase(it);
  maybe_closed();
}

void HttpServer::close(std::function<void()> on_closed, double grace_ms) {
  if (closing_) return;
  closing_ = true;
  on_closed_ = std::move(on_closed);
  if (check_timer_) {  // as Node's server.close(): the grace period bounds what is left
    loop_.clear_interval(check_timer_);
    check_timer_ = {};
  }
  if (listen_watcher_) {
    const int lfd = listen_fd_;
    listen_watcher_->close([lfd] { ::close(lfd); });
    listen_watcher_.reset();
    listen_fd_ = -1;
  }
  std::vector<int> idle_fds;
  for (auto& [fd, c] : conns_)
    if (idle(*c)) idle_fds.push_back(fd);
  for (int fd : idle_fds) drop(fd);
  if (!conns_.empty()) {
    auto alive = alive_;
    grace_timer_ = loop_.set_timeout([this, alive] {
      if (!*alive) return;
      grace_timer_ = {};
      destroy_connections();
    }, grace_ms);
  }
  maybe_closed();
}

void HttpServer::destroy_connections() {
  std::vector<int> fds;
  for (auto& [fd, c] : conns_) fds.push_back(fd);
  for (int fd : fds) drop(fd);
}

void HttpServer::maybe_closed() {
  if (!closing_ || !conns_.empty()) return;
  if (grace_timer_) {  // also without on_closed: a pending grace timer would keep the loop alive
    loop_.clear_timeout(grace_timer_);
    grace_timer_ = {};
  }
  if (!on_closed_) return;
  auto cb = std::move(on_closed_);
  on_closed_ = nullptr;
  cb();
}

}  // namespace kata::cluster
