// cluster's round-robin dispatcher (Node's lib/internal/cluster/round_robin_handle.js).
//
// The seed's fix for 惊群 and uneven load: the primary alone accepts, then hands
// each connection to a worker over IPC with the fd attached (SCM_RIGHTS). Which
// worker? The one that has been *idle* longest: a worker is "free" until it is
// given a connection, and free again once it has acknowledged it. Connections
// that arrive while every worker is busy wait in a queue.
//
// Node hands a worker ONE connection at a time (it must acknowledge before
// it gets another). Under load that makes the split depend on who happens to
// acknowledge first: measured with ab -c20 on 2 cores, Node's own rr cluster
// ends up anywhere between 1.03 and 2.6 max/min. `max_in_flight` (the window)
// generalises it: a worker stays in the free line, at the back, until it has
// that many unacknowledged connections. 1 is Node, and the cluster's default;
// a wider window (this kata's extension) keeps the rotation strict while acks
// are merely slow, and still skips a worker that stopped answering.
//
// This class is the bookkeeping only — no sockets. The cluster calls it with
// connection fds and worker ids, and it calls back `send` (give this fd to that
// worker) and `close` (the primary's copy of the fd is done with). That keeps
// the policy testable to the last detail, and the I/O in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <optional>
#include <unordered_map>
#include <vector>

namespace kata::cluster {

class RoundRobinHandle {
 public:
  // send(worker_id, conn): send {act:'newconn'} with the connection to that
  // worker; its answer comes back through on_reply(worker_id, accepted).
  using Send = std::function<void(int worker_id, int conn)>;
  // close(conn): close the primary's copy (the worker has its own now, or nobody will).
  using Close = std::function<void(int conn)>;

  // max_dispatches: how often one connection may be sent out before the
  // primary gives up on it (0 = no limit, Node's distribute-again-for-ever).
  // A connection that every worker refuses — all of them out of fds, say —
  // would otherwise circle between them for good.
  explicit RoundRobinHandle(Send send, Close close, std::size_t max_in_flight = 1,
                            std::size_t max_dispatches = 0);

  // A worker started listening on this address: it is free; a waiting
  // connection goes to it at once.
  void add(int worker_id);

  // The worker leaves. `dead`: it died — the connections it had not yet
  // answered will never be answered, so they go first in line to another
  // worker (nodejs/node#3551: never lose them). Not dead (it is closing its
  // server): it gets nothing new, but its answers still count — a connection
  // it refuses goes to another worker. Returns true when no worker is left:
  // the queue has been closed and the primary should stop listening.
  bool remove(int worker_id, bool dead = true);

  // The primary stops listening: close every connection still held here
  // (queued or unanswered; a worker that took one has its own copy).
  void close_all();

  // The primary accepted a connection.
  void distribute(int conn);

  // The worker's answer about the oldest connection it was sent and has not
  // answered yet (answers come back in order): accepted → the
  // primary closes its copy; refused (it is shutting down) → the connection
  // goes to another worker — unless it has been sent max_dispatches times
  // already: then it is closed and counted in dropped(). Either way the
  // worker then has room for the next waiting connection, or is free again.
  void on_reply(int worker_id, bool accepted);

  // No answer will come for `conn`, sent to that worker (the primary's reply
  // timer ran out, or the send itself failed): treated as refused. Named by
  // connection, not "the oldest": a lost dispatch is not necessarily the
  // oldest one. Unknown worker or connection (answered meanwhile): no-op.
  void on_lost(int worker_id, int conn);

  // For tests and the watchdog.
  std::vector<int> free_workers() const;           // longest idle first
  std::size_t queued() const { return handles_.size(); }
  std::optional<int> in_flight(int worker_id) const;  // oldest connection sent, not yet acknowledged
  std::size_t in_flight_count(int worker_id) const;
  std::size_t size() const { return all_.size(); }
  // Connections closed here that no worker took: refused max_dispatches
  // times, or still waiting when the last worker left.
  std::uint64_t dropped() const { return dropped_; }

 private:
  void handoff(int worker_id);
  void take_free_worker();  // the longest-idle free worker gets the next waiting connection
  void refused(int worker_id, int conn);  // on_reply(false) / on_lost: out of line, distribute again
  void drop(int conn);                    // close_() one nobody took, and count it

  Send send_;
  Close close_;
  std::size_t max_in_flight_;
  std::size_t max_dispatches_;
  std::unordered_map<int, std::size_t> dispatches_;  // conn → times sent (only with a limit)
  std::uint64_t dropped_ = 0;
  struct WorkerState {
    std::deque<int> in_flight;  // sent, not yet acknowledged, oldest first
    std::optional<std::list<int>::iterator> free_pos;  // where in free_, if free: O(1) removal
  };
  std::unordered_map<int, WorkerState> all_;
  std::unordered_map<int, std::deque<int>> leaving_;  // removed, not dead: answers still expected
  std::list<int> free_;      // FIFO of idle workers (O(1) both ends, nodejs/node#37343)
  std::deque<int> handles_;  // accepted connections nobody has taken yet
};

}  // namespace kata::cluster
