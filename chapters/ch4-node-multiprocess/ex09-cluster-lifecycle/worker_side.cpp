// The worker's side of cluster (lib/internal/cluster/child.js): connect to the
// primary, say 'online', answer its requests, and leave gracefully. The
// plumbing is given: cluster_plumbing.hpp and cluster_plumbing.cpp.
#include <unistd.h>

#include "cluster.hpp"
#include "cluster_plumbing.hpp"
#include "kata/todo.hpp"

namespace kata::cluster {

void Cluster::setup_worker(int id, int channel_fd) {
  (void)id, (void)channel_fd;
  KATA_TODO("you are worker `id` (the constructor in cluster_plumbing.cpp calls this): is_worker_, make self_ "
            "(your pid, online), connect_primary(channel_fd) (cluster_plumbing.cpp), say {act:online} (hint 8)");
}

void Cluster::on_primary_closed() {
  KATA_TODO("state disconnected, emit disconnect on self_; the primary went away without asking us to leave "
            "(not exited_after_disconnect): destroy_connections() and exit 0 (hint 8)");
}

void Cluster::on_primary_message(Json msg, int fd) {
  (void)msg, (void)fd;
  KATA_TODO("user messages → self_'s message; acks → settle_reply (cluster_plumbing.cpp), a handle riding as "
            "reply[\"fd\"] (close it if nobody waited); newconn → on_newconn; disconnect → worker_disconnect "
            "(hint 8)");
}

void Cluster::worker_disconnect() {
  KATA_TODO("once: tell the primary with send_to_primary (cluster_plumbing.cpp): exitedAfterDisconnect unless "
            "it asked, close per server key; close every server gracefully (disconnect_grace_ms), then report "
            "{act:served} and close the channel (hint 9)");
}

}  // namespace kata::cluster
