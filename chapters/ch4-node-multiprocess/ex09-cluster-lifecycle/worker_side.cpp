// The worker's side of cluster (lib/internal/cluster/child.js): connect to the
// primary, say 'online', answer its requests, and leave gracefully.
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "cluster.hpp"

#include "kata/todo.hpp"

namespace kata::cluster {
namespace {
[[maybe_unused]] bool is_internal(const Json& msg) { return msg.is_object() && msg.value("cmd", "") == "NODE_CLUSTER"; }
}  // namespace

void Cluster::setup_worker(int id, int channel_fd) {
  (void)id, (void)channel_fd;
  KATA_TODO("you are worker `id`: unsetenv NODE_UNIQUE_ID/NODE_CHANNEL_FD, make self_ (online), open the Channel on channel_fd (errors → on_ipc_error), say {act:online} (hint 8)");
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
  (void)msg, (void)fd;
  KATA_TODO("user messages → worker message; acks → pending_replies_ (a handle rides as reply[\"fd\"]); newconn → on_newconn; disconnect → worker_disconnect (hint 8)");
}

void Cluster::worker_disconnect() {
  KATA_TODO("once: tell the primary (exitedAfterDisconnect, close per server key), close every server gracefully, then report {act:served} and close the channel (hint 9)");
}

}  // namespace kata::cluster
