// The primary's side of cluster (lib/internal/cluster/primary.js):
// fork a worker, follow its life through IPC messages and its exit, and emit
// the events in Node's order. The plumbing is given: cluster_plumbing.hpp
// and cluster_plumbing.cpp.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>

#include "cluster.hpp"
#include "cluster_plumbing.hpp"
#include "kata/todo.hpp"

namespace kata::cluster {

std::shared_ptr<Worker> Cluster::fork(const std::map<std::string, std::string>& env) {
  (void)env;
  KATA_TODO("only in the primary; make the Worker (next_id_++), launch_worker() it (cluster_plumbing.hpp), "
            "record it in workers_ and all_; connect_worker() and watch_exit() (cluster_plumbing.cpp); let the "
            "cluster hear its messages first; emit fork on the next tick (hints 1-3)");
}

void Cluster::on_worker_message(const std::shared_ptr<Worker>& w, Json msg, int fd) {
  (void)w, (void)msg, (void)fd;
  KATA_TODO("close any fd; user messages (not is_internal, cluster_plumbing.hpp) → the worker's message; acks → "
            "settle_reply(ack, msg) (cluster_plumbing.cpp); online / listening (state, worker first, then cluster) "
            "/ queryServer → query_server and close → close_server (exercise 10) / exitedAfterDisconnect (answer "
            "{ack: seq} with send_to_worker) / served (hint 4)");
}

void Cluster::on_worker_channel_closed(const std::shared_ptr<Worker>& w) {
  (void)w;
  KATA_TODO("once: remove_handles_for(w, dead=true) (exercise 10), state disconnected unless dead, worker then cluster "
            "disconnect, maybe_remove (hint 5)");
}

void Cluster::on_worker_exit(const std::shared_ptr<Worker>& w) {
  (void)w;
  KATA_TODO("waitpid(WNOHANG) (0: not yet); exited_; decode the code or signal_name (cluster_plumbing.hpp); "
            "disconnect must come before exit: close a channel still open and run on_worker_channel_closed; "
            "state dead; emit exit (worker, then cluster); drop the worker's listeners; maybe_remove (hint 5)");
}

void Cluster::maybe_remove(const std::shared_ptr<Worker>& w) {
  (void)w;
  KATA_TODO("dead AND disconnected → leaves workers_ (and all_, keeping it alive until the close phase is "
            "over) (hint 6)");
}

bool Worker::send(const Json& msg) {
  (void)msg;
  KATA_TODO("a user message over the channel (in a worker: to the primary); false when not connected");
}

void Worker::disconnect() {
  KATA_TODO("worker: cluster_.worker_disconnect(); primary, unless already disconnected or dead: "
            "exited_after_disconnect = true, send_to_worker {act:disconnect} (cluster_plumbing.cpp), "
            "remove_handles_for(*this, false) (exercise 10) (hint 7)");
}

void Worker::kill(int signal) {
  (void)signal;
  KATA_TODO("primary: send the signal to the worker process unless it exited (exited_after_disconnect stays "
            "false); worker: to yourself");
}

}  // namespace kata::cluster
