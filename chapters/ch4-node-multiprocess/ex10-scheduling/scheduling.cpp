// How connections reach workers (lib/internal/cluster/{primary,child}.js,
// round_robin_handle.js, shared_handle.js): a worker's listen() becomes a
// 'queryServer' request; the primary answers according to the policy.
//
//   rr        the primary listens and accepts; RoundRobinHandle (exercise 8)
//             picks the worker; the fd goes over IPC with {act:'newconn'};
//             the worker answers {accepted}.
//   none      the primary creates the listening socket and sends it to every
//             worker with the reply; the workers accept on it (惊群, uneven).
//   reuseport each worker binds its own SO_REUSEPORT socket on the port the
//             primary reserved; the kernel hashes connections across them.
#include <unistd.h>

#include <system_error>

#include "cluster.hpp"

#include "kata/todo.hpp"

namespace kata::cluster {

// ---- primary ---------------------------------------------------------------

void Cluster::query_server(const std::shared_ptr<Worker>& w, const Json& msg) {
  (void)w, (void)msg;
  KATA_TODO("key = host:port:policy; rr: one RrHandle per key (listen, open its spare_fd, RoundRobinHandle(send, close, rr_max_in_flight, rr_max_dispatches) with send = newconn + fd and a reply callback with settings_.rr_reply_timeout_ms: {lost} → on_lost(worker, conn), else on_reply; watcher → rr_accept(key), given in accepting.cpp), reply, then rr->add(worker); none: listen once, reply WITH the fd; reuseport: bind_reuseport to reserve the port, reply; errors → reply errno, never cached (hints 1-4)");
}

void Cluster::close_server(Worker& w, const std::string& key, bool dead) {
  (void)w, (void)key, (void)dead;
  KATA_TODO("rr: rr->remove(worker, dead) and close_rr_handle(key) (accepting.cpp) when it was the last; none/reuseport: forget the worker, close the fd after the last (hint 5)");
}

void Cluster::remove_handles_for(Worker& w, bool dead) {
  (void)w, (void)dead;
  KATA_TODO("close_server for every key the primary holds (hint 5)");
}

// ---- worker ----------------------------------------------------------------

void Cluster::worker_listen(HttpServer& server, int port, const std::string& host,
                            std::function<void(net::Address)> on_listening) {
  (void)server, (void)port, (void)host, (void)on_listening;
  KATA_TODO("send {act:queryServer, address, port} with a reply callback: errno → throw; none → server.listen_fd(reply fd); reuseport → listen_tcp(.., reuseport=true); rr → nothing to open; remember servers_[key]; on_listening, then {act:listening} (hint 6)");
}

void Cluster::on_newconn(const Json& msg, int fd) {
  (void)msg, (void)fd;
  KATA_TODO("accept when the fd came (fd >= 0: a lost handle arrives as -1), servers_[key] exists and is not closing (add_connection), else close the fd; answer {ack: seq, accepted} at once (hint 7)");
}

}  // namespace kata::cluster
