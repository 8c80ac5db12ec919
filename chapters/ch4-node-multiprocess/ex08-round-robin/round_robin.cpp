#include "round_robin.hpp"

#include <stdexcept>
#include <string>

#include "kata/todo.hpp"

namespace kata::cluster {

RoundRobinHandle::RoundRobinHandle(Send send, Close close, std::size_t max_in_flight, std::size_t max_dispatches)
    : send_(std::move(send)),
      close_(std::move(close)),
      max_in_flight_(max_in_flight < 1 ? 1 : max_in_flight),
      max_dispatches_(max_dispatches) {}

void RoundRobinHandle::add(int worker_id) {
  (void)worker_id;
  KATA_TODO("register the worker in all_ (twice is a std::logic_error), then handoff() to it (hint 1)");
}

bool RoundRobinHandle::remove(int worker_id, bool dead) {
  (void)worker_id, (void)dead;
  KATA_TODO("forget the worker (and its place in free_); dead → its unanswered connections go first in line, "
            "in their order, to others (an extension: Node never re-sends); alive → keep them in leaving_ for its answers; the last worker out drop()s the queue "
            "and returns true (hints 4, 5)");
}

void RoundRobinHandle::close_all() {
  KATA_TODO("drop() what is queued (nobody took it), close_() every in_flight and leaving_ one (hint 6)");
}

void RoundRobinHandle::distribute(int conn) {
  (void)conn;
  KATA_TODO("queue the connection; if a worker is free, take the longest-idle one and handoff() (hint 2)");
}

void RoundRobinHandle::take_free_worker() {
  KATA_TODO("pop the longest-idle worker off free_ (clear its free_pos) and handoff() to it (hint 2)");
}

void RoundRobinHandle::handoff(int worker_id) {
  (void)worker_id;
  KATA_TODO("if a connection waits and the worker has room (in_flight < max_in_flight_), send it the oldest "
            "one (count the dispatch when max_dispatches_ is set); then, if it still has room, put it at the back of free_ (hint 2)");
}

void RoundRobinHandle::on_reply(int worker_id, bool accepted) {
  (void)worker_id, (void)accepted;
  KATA_TODO("the answer is about the worker's oldest in-flight connection: accepted → close_(conn), "
            "refused → refused(worker, conn); then handoff(worker); ignore unknown workers (hint 3)");
}

void RoundRobinHandle::on_lost(int worker_id, int conn) {
  (void)worker_id, (void)conn;
  KATA_TODO("find THAT connection in the worker's in_flight (or its leaving_ queue) and take it out; not there → "
            "no-op; else treat it as refused and handoff(worker) so its slot is free (hint 7)");
}

void RoundRobinHandle::refused(int worker_id, int conn) {
  (void)worker_id, (void)conn;
  KATA_TODO("out of free_ (someone else takes it), then distribute(conn) — or drop(conn) once it has been "
            "sent max_dispatches_ times (hint 7)");
}

void RoundRobinHandle::drop(int conn) {
  (void)conn;
  KATA_TODO("forget its dispatch count, ++dropped_, close_(conn) (hint 7)");
}

std::vector<int> RoundRobinHandle::free_workers() const { return {free_.begin(), free_.end()}; }

std::optional<int> RoundRobinHandle::in_flight(int worker_id) const {
  auto it = all_.find(worker_id);
  if (it == all_.end() || it->second.in_flight.empty()) return std::nullopt;
  return it->second.in_flight.front();
}

std::size_t RoundRobinHandle::in_flight_count(int worker_id) const {
  auto it = all_.find(worker_id);
  return it == all_.end() ? 0 : it->second.in_flight.size();
}

}  // namespace kata::cluster
