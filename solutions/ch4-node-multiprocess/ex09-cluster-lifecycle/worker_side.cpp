// The worker's side of cluster (lib/internal/cluster/child.js): connect to the
// primary, say 'online', answer its requests, and leave gracefully.
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "cluster.hpp"

namespace kata::cluster {
namespace {
bool is_internal(const Json& msg) { return msg.is_object() && msg.value("cmd", "") == "NODE_CLUSTER"; }
}  // namespace

void Cluster::setup_worker(int id, int channel_fd) {
  is_worker_ = true;
  // A worker's own children are not workers of our primary.
  ::unsetenv("NODE_UNIQUE_ID");
  ::unsetenv("NODE_CHANNEL_FD");
  self_ = std::shared_ptr<Worker>(new Worker(*this, id));
  self_->pid_ = ::getpid();
  self_->state_ = "online";
  auto alive = alive_;
  channel_ = std::make_unique<Channel>(loop_, channel_fd);
  channel_->on_message([this, alive](Json msg, int fd) {
    if (*alive) on_primary_message(std::move(msg), fd);
    else if (fd >= 0) ::close(fd);
  });
  channel_->on_error([this, alive](const std::string& code, const std::string& message) {
    if (*alive) on_ipc_error("worker " + std::to_string(self_->id_) + "'s channel", code, message);
  });
  channel_->on_close([this, alive] {
    if (!*alive) return;
    self_->state_ = "disconnected";
    self_->emit("disconnect");
    // The primary went away without asking us to leave: nobody will send us
    // connections or reap us gracefully — exit (Node: process.exit(0)).
    if (!self_->exited_after_disconnect_) {
      for (HttpServer* s : all_servers_) s->destroy_connections();
      loop_.process().exit(0);
    }
  });
  send_to_primary(Json{{"act", "online"}});
}

Worker& Cluster::worker() {
  if (!is_worker_) throw std::logic_error("cluster.worker exists only in a worker");
  return *self_;
}

void Cluster::send_to_primary(Json msg, std::function<void(const Json&)> on_reply) {
  msg["cmd"] = "NODE_CLUSTER";
  if (on_reply) {
    const std::uint64_t seq = next_seq_++;
    msg["seq"] = seq;
    pending_replies_[seq] = std::move(on_reply);
  }
  if (channel_) channel_->send(msg);
}

void Cluster::on_primary_message(Json msg, int fd) {
  if (!is_internal(msg)) {
    if (fd >= 0) ::close(fd);
    self_->emit("message", std::move(msg));
    return;
  }
  if (msg.contains("ack")) {
    auto it = pending_replies_.find(msg["ack"].get<std::uint64_t>());
    if (it == pending_replies_.end()) {
      if (fd >= 0) ::close(fd);
      return;
    }
    auto cb = std::move(it->second);
    pending_replies_.erase(it);
    Json reply = std::move(msg);
    if (fd >= 0) reply["fd"] = fd;  // a handle came with the reply (policy none)
    cb(reply);
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
