// Given parts of scheduling: the primary's accept loop for rr (with
// libuv's answer to running out of fds), closing an rr handle, and listen()
// in a primary (a single-process server). Your part, scheduling.cpp, decides
// which socket a worker gets and where each connection goes.
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "cluster.hpp"

namespace kata::cluster {

// rr: the primary's listening socket is readable. Accepts a bounded burst
// and gives each connection to the RoundRobinHandle (exercise 8), which
// sends it on with your query_server's send callback.
void Cluster::rr_accept(const std::string& key) {
  for (int i = 0; i < 64; ++i) {  // bounded: let replies (acks) in between bursts
    auto it = rr_handles_.find(key);
    if (it == rr_handles_.end()) return;  // distribute() may end up closing it
    RrHandle& h = it->second;
    const int conn = net::accept_connection(h.fd);
    if (conn >= 0) {
      h.rr->distribute(conn);
      continue;
    }
    if (errno != EMFILE && errno != ENFILE) return;  // EAGAIN: drained (others: the next one may work)
    // Out of fds. The socket stays readable, so retrying at once would spin:
    // shed what is pending (libuv's trick), then pause accepting for a while.
    ++stats_.accept_errors;
    stats_.dropped_connections += static_cast<std::uint64_t>(net::shed_pending(h.fd, &h.spare_fd));
    h.watcher->stop();
    auto alive = alive_;
    h.accept_retry = loop_.set_timeout(
        [this, alive, key] {
          if (!*alive) return;
          auto hit = rr_handles_.find(key);
          if (hit == rr_handles_.end()) return;
          hit->second.accept_retry = {};
          if (hit->second.spare_fd < 0) hit->second.spare_fd = net::open_spare_fd();
          hit->second.watcher->start(node::kReadable, [this, alive, key](int) {
            if (*alive) rr_accept(key);
          });
        },
        kAcceptRetryMs);
    return;
  }
}

// Closes the rr handle of `key` (the last worker left it): its listening
// socket, its spare fd, the connections still held for workers.
void Cluster::close_rr_handle(const std::string& key) {
  auto it = rr_handles_.find(key);
  if (it == rr_handles_.end()) return;
  const int fd = it->second.fd;
  it->second.watcher->close([fd] { ::close(fd); });
  loop_.clear_timeout(it->second.accept_retry);
  if (it->second.spare_fd >= 0) ::close(it->second.spare_fd);
  it->second.spare_fd = -1;
  it->second.rr->close_all();  // the primary's copies of anything still held
  stats_.dropped_connections += it->second.rr->dropped();  // stats() adds the live handles' own
  // RoundRobinHandle may be calling us: destroy it after this callback.
  auto doomed = std::make_shared<RrHandle>(std::move(it->second));
  rr_handles_.erase(it);
  loop_.set_immediate([doomed] {});
}

// server.listen() in the primary itself (not a worker): a plain listening
// socket, and on_listening from the next tick, as Node's 'listening'.
void Cluster::listen(HttpServer& server, int port, const std::string& host,
                     std::function<void(net::Address)> on_listening) {
  if (is_worker_) return worker_listen(server, port, host, std::move(on_listening));
  server.listen_fd(net::listen_tcp(host, port, policy() == SchedulingPolicy::reuseport));
  const net::Address address = server.address();
  if (on_listening) loop_.next_tick([on_listening, address] { on_listening(address); });
}

}  // namespace kata::cluster
