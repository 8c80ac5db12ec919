#include "http_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace kata::cluster {

HttpServer::HttpServer(node::Loop& loop, Handler handler) : loop_(loop), handler_(std::move(handler)) {}

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
  c->watcher = loop_.watch_fd(fd);
  auto alive = alive_;
  c->watcher->start(node::kReadable, [this, alive, fd](int ev) {
    if (*alive) on_conn_io(fd, ev);
  });
  conns_[fd] = std::move(c);
  ++accepted_;
  return true;
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
    auto alive = alive_;
    c.watcher->start(node::kReadable, [this, alive, fd](int ev) {
      if (*alive) on_conn_io(fd, ev);
    });
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
    c.parser.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    if (static_cast<std::size_t>(n) < sizeof buf) break;
  }
  serve(c);
}

void HttpServer::serve(Conn& c) {
  const int fd = c.fd;
  if (!c.busy && !c.close_after_write) {
    if (auto req = c.parser.next()) {
      c.busy = true;
      const bool keep = req->keep_alive;
      auto alive = alive_;
      const std::uint64_t id = c.id;
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
      return;  // serve() runs again from respond()
    }
    if (c.parser.error_status() != 0) {
      http::Response res;
      res.status = c.parser.error_status();
      res.keep_alive = false;
      c.out += http::write_response(res);
      c.close_after_write = true;
    }
  }
  c.received_bytes = false;  // what the parser still holds is not a request yet
  write_out(c);
  (void)fd;
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
  if (!c.out.empty()) {
    auto alive = alive_;
    c.watcher->start(node::kWritable, [this, alive, fd](int ev) {
      if (*alive) on_conn_io(fd, ev);
    });
    return;
  }
  if (c.close_after_write || (closing_ && idle(c))) drop(fd);
}

void HttpServer::drop(int fd) {
  auto it = conns_.find(fd);
  if (it == conns_.end()) return;
  it->second->watcher->close([fd] { ::close(fd); });
  conns_.erase(it);
  maybe_closed();
}

void HttpServer::close(std::function<void()> on_closed, double grace_ms) {
  if (closing_) return;
  closing_ = true;
  on_closed_ = std::move(on_closed);
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
  if (!closing_ || !conns_.empty() || !on_closed_) return;
  if (grace_timer_) {
    loop_.clear_timeout(grace_timer_);
    grace_timer_ = {};
  }
  auto cb = std::move(on_closed_);
  on_closed_ = nullptr;
  cb();
}

}  // namespace kata::cluster
