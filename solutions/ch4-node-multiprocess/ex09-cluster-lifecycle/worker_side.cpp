// The worker's side of cluster (lib/internal/cluster/child.js): connect to the
// primary, say 'online', answer its requests, and leave gracefully.
#include <unistd.h>

#include "cluster.hpp"
#include "cluster_plumbing.hpp"

namespace kata::cluster {

void Cluster::setup_worker(int id, int channel_fd) {
  is_worker_ = true;
  self_ = std::shared_ptr<Worker>(new Worker(*this, id));
  self_->pid_ = ::getpid();
  self_->state_ = "online";
  connect_primary(channel_fd);
  send_to_primary(Json{{"act", "online"}});
}

void Cluster::on_primary_closed() {
  self_->state_ = "disconnected";
  self_->emit("disconnect");
  // The primary went away without asking us to leave: nobody will send us
  // connections or reap us gracefully — exit (Node: process.exit(0)).
  if (!self_->exited_after_disconnect_) {
    for (HttpServer* s : all_servers_) s->destroy_connections();
    loop_.process().exit(0);
  }
}

void Cluster::on_primary_message(Json msg, int fd) {
  if (!is_internal(msg)) {
    if (fd >= 0) ::close(fd);
    self_->emit("message", std::move(msg));
    return;
  }
  if (msg.contains("ack")) {
    if (fd >= 0) msg["fd"] = fd;  // a handle came with the reply (policy none)
    if (!settle_reply(msg["ack"].get<std::uint64_t>(), msg) && fd >= 0) ::close(fd);
    return;
  }
  const std::string act = msg.value("act", "");
  if (act == "newconn") return on_newconn(msg, fd);
  if (fd >= 0) ::close(fd);
  if (act == "disconnect") {
    self_->exited_after_disconnect_ = true;
    worker_disconnect();
  }
}

void Cluster::worker_disconnect() {
  if (self_->state_ == "disconnecting" || self_->state_ == "disconnected") return;
  const bool asked_by_primary = self_->exited_after_disconnect_;
  self_->exited_after_disconnect_ = true;
  self_->state_ = "disconnecting";
  if (!asked_by_primary) send_to_primary(Json{{"act", "exitedAfterDisconnect"}});
  // Stop taking connections (rr: tell the primary), then let in-flight
  // requests finish; only then close the channel.
  for (auto& [key, server] : servers_) send_to_primary(Json{{"act", "close"}, {"key", key}});
  auto left = std::make_shared<std::size_t>(all_servers_.size() + 1);
  auto alive = alive_;
  auto one_closed = [this, alive, left] {
    if (!*alive || --*left != 0) return;
    std::uint64_t requests = 0;
    for (HttpServer* s : all_servers_) requests += s->requests_served();
    send_to_primary(Json{{"act", "served"}, {"requests", requests}});
    servers_.clear();
    all_servers_.clear();
    channel_->close();  // flushes 'served' first; then the loop has nothing left: exit 0
  };
  for (HttpServer* s : all_servers_) s->close(one_closed, settings_.disconnect_grace_ms);
  one_closed();
}

}  // namespace kata::cluster
