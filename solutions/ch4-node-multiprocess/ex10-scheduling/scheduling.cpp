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

namespace kata::cluster {

// ---- primary ---------------------------------------------------------------

void Cluster::query_server(const std::shared_ptr<Worker>& w, const Json& msg) {
  const std::string host = msg.value("address", "127.0.0.1");
  const int port = msg.value("port", 0);
  const SchedulingPolicy pol = policy();
  const std::string key = host + ":" + std::to_string(port) + ":" + to_string(pol);
  Json reply{{"ack", msg.value("seq", std::uint64_t{0})}, {"key", key}, {"policy", to_string(pol)}};
  try {
    if (pol == SchedulingPolicy::rr) {
      auto it = rr_handles_.find(key);
      if (it == rr_handles_.end()) {
        RrHandle h;
        h.fd = net::listen_tcp(host, port, false);
        h.address = net::local_address(h.fd);
        auto alive = alive_;
        h.spare_fd = net::open_spare_fd();  // before the fds run out, not after
        h.rr = std::make_unique<RoundRobinHandle>(
            [this, alive, key](int worker_id, int conn) {
              auto wit = all_.find(worker_id);
              if (!*alive || wit == all_.end()) return;
              // A deadline on the answer: a hung worker, or one whose fd never
              // arrived, must not hold its slot (and the queue behind it) for ever.
              send_to_worker(
                  *wit->second, Json{{"act", "newconn"}, {"key", key}}, conn,
                  [this, alive, key, worker_id, conn](const Json& r) {
                    if (!*alive) return;
                    auto hit = rr_handles_.find(key);
                    if (hit == rr_handles_.end()) return;
                    if (r.value("lost", false))
                      hit->second.rr->on_lost(worker_id, conn);
                    else
                      hit->second.rr->on_reply(worker_id, r.value("accepted", false));
                  },
                  settings_.rr_reply_timeout_ms);
            },
            [](int conn) { ::close(conn); }, settings_.rr_max_in_flight, settings_.rr_max_dispatches);
        h.watcher = loop_.watch_fd(h.fd);
        h.watcher->start(node::kReadable, [this, alive, key](int) {
          if (*alive) rr_accept(key);
        });
        it = rr_handles_.emplace(key, std::move(h)).first;
      }
      reply["address"] = it->second.address.host;
      reply["port"] = it->second.address.port;
      send_to_worker(*w, reply);
      it->second.rr->add(w->id());  // after the reply: the worker knows the key before newconn
      return;
    }
    auto it = shared_handles_.find(key);
    if (it == shared_handles_.end()) {
      SharedHandle h;
      h.fd = pol == SchedulingPolicy::none ? net::listen_tcp(host, port, false) : net::bind_reuseport(host, port);
      h.address = net::local_address(h.fd);
      it = shared_handles_.emplace(key, std::move(h)).first;
    }
    it->second.workers.push_back(w->id());
    reply["address"] = it->second.address.host;
    reply["port"] = it->second.address.port;
    send_to_worker(*w, reply, pol == SchedulingPolicy::none ? it->second.fd : -1);
  } catch (const std::system_error& e) {
    // Not cached: the next worker tries again (a cached EADDRINUSE would make
    // every respawn fail forever).
    reply["errno"] = e.code().value();
    reply["error"] = e.what();
    send_to_worker(*w, reply);
  }
}

void Cluster::close_server(Worker& w, const std::string& key, bool dead) {
  if (auto it = rr_handles_.find(key); it != rr_handles_.end()) {
    if (it->second.rr->remove(w.id(), dead)) close_rr_handle(key);
    return;
  }
  if (auto it = shared_handles_.find(key); it != shared_handles_.end()) {
    auto& ids = it->second.workers;
    std::erase(ids, w.id());
    if (ids.empty()) {
      ::close(it->second.fd);
      shared_handles_.erase(it);
    }
  }
}

void Cluster::remove_handles_for(Worker& w, bool dead) {
  std::vector<std::string> keys;
  for (auto& [key, h] : rr_handles_) keys.push_back(key);
  for (auto& [key, h] : shared_handles_) keys.push_back(key);
  for (auto& key : keys) close_server(w, key, dead);
}

// ---- worker ----------------------------------------------------------------

void Cluster::worker_listen(HttpServer& server, int port, const std::string& host,
                            std::function<void(net::Address)> on_listening) {
  auto alive = alive_;
  send_to_primary(Json{{"act", "queryServer"}, {"address", host}, {"port", port}},
                  [this, alive, &server, on_listening](const Json& reply) {
                    if (!*alive) return;
                    const int fd = reply.value("fd", -1);
                    if (reply.contains("errno"))
                      throw std::system_error(reply["errno"].get<int>(), std::generic_category(),
                                              "listen: " + reply.value("error", std::string()));
                    const std::string key = reply.value("key", "");
                    const std::string pol = reply.value("policy", "rr");
                    const net::Address address{reply.value("address", ""), reply.value("port", 0)};
                    if (pol == "none") {
                      server.listen_fd(fd);  // the shared socket: every worker accepts on it
                    } else {
                      if (fd >= 0) ::close(fd);
                      if (pol == "reuseport") server.listen_fd(net::listen_tcp(address.host, address.port, true));
                    }
                    servers_[key] = &server;
                    all_servers_.push_back(&server);
                    if (on_listening) on_listening(address);
                    send_to_primary(Json{{"act", "listening"}, {"address", address.host}, {"port", address.port}});
                  });
}

void Cluster::on_newconn(const Json& msg, int fd) {
  auto it = servers_.find(msg.value("key", ""));
  // fd < 0: the handle was lost on the way (we were out of fds: MSG_CTRUNC).
  // Answer at once — refused — so the primary gives it to another worker.
  const bool accepted = fd >= 0 && it != servers_.end() && !it->second->closing() && it->second->add_connection(fd);
  if (!accepted && fd >= 0) ::close(fd);  // refused: the primary gives it to another worker
  send_to_primary(Json{{"ack", msg.value("seq", std::uint64_t{0})}, {"accepted", accepted}});
}

}  // namespace kata::cluster
