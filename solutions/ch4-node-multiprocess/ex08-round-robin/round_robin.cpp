#include "round_robin.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace kata::cluster {

RoundRobinHandle::RoundRobinHandle(Send send, Close close, std::size_t max_in_flight, std::size_t max_dispatches)
    : send_(std::move(send)),
      close_(std::move(close)),
      max_in_flight_(max_in_flight < 1 ? 1 : max_in_flight),
      max_dispatches_(max_dispatches) {}

void RoundRobinHandle::add(int worker_id) {
  if (all_.count(worker_id)) throw std::logic_error("RoundRobinHandle::add: worker " + std::to_string(worker_id) + " twice");
  all_[worker_id];
  handoff(worker_id);  // connections may be waiting for a worker
}

bool RoundRobinHandle::remove(int worker_id, bool dead) {
  std::deque<int> unanswered;
  if (auto it = all_.find(worker_id); it != all_.end()) {
    if (it->second.free_pos) free_.erase(*it->second.free_pos);
    unanswered = std::move(it->second.in_flight);
    all_.erase(it);
  } else if (auto lt = leaving_.find(worker_id); lt != leaving_.end() && dead) {
    unanswered = std::move(lt->second);  // it left politely, then died before answering
    leaving_.erase(lt);
  } else {
    return false;
  }
  if (!dead) {
    if (!unanswered.empty()) leaving_[worker_id] = std::move(unanswered);
  } else {
    // Handed out before anything queued: first in line.
    handles_.insert(handles_.begin(), unanswered.begin(), unanswered.end());
    for (std::size_t i = 0; i < unanswered.size() && !free_.empty(); ++i) take_free_worker();
  }
  if (!all_.empty()) return false;
  while (!handles_.empty()) {  // nobody left to serve them
    drop(handles_.front());
    handles_.pop_front();
  }
  return true;
}

void RoundRobinHandle::close_all() {
  for (int c : handles_) drop(c);
  handles_.clear();
  for (auto& [id, w] : all_) {
    for (int c : w.in_flight) close_(c);
    w.in_flight.clear();
  }
  for (auto& [id, q] : leaving_)
    for (int c : q) close_(c);
  leaving_.clear();
  dispatches_.clear();
}

void RoundRobinHandle::drop(int conn) {
  dispatches_.erase(conn);
  ++dropped_;
  close_(conn);
}

void RoundRobinHandle::distribute(int conn) {
  handles_.push_back(conn);
  if (!free_.empty()) take_free_worker();  // else every worker is busy: it waits its turn
}

void RoundRobinHandle::take_free_worker() {
  const int worker_id = free_.front();
  free_.pop_front();
  all_[worker_id].free_pos.reset();
  handoff(worker_id);
}

void RoundRobinHandle::handoff(int worker_id) {
  auto it = all_.find(worker_id);
  if (it == all_.end()) return;  // removed meanwhile (closing its server)
  WorkerState& w = it->second;
  if (w.free_pos) return;  // already waiting in the free line
  if (!handles_.empty() && w.in_flight.size() < max_in_flight_) {
    const int conn = handles_.front();
    handles_.pop_front();
    w.in_flight.push_back(conn);
    if (max_dispatches_ != 0) ++dispatches_[conn];
    send_(worker_id, conn);
    if (all_.find(worker_id) == all_.end()) return;  // send_ may remove it (dead channel)
  }
  // Room for more: back of the line (with a window of 1, only once idle).
  if (w.in_flight.size() < max_in_flight_) w.free_pos = free_.insert(free_.end(), worker_id);
}

void RoundRobinHandle::on_reply(int worker_id, bool accepted) {
  auto it = all_.find(worker_id);
  if (it == all_.end()) {
    // A worker that left: its answers about what it was sent still count.
    auto lt = leaving_.find(worker_id);
    if (lt == leaving_.end() || lt->second.empty()) return;  // or it died: already re-sent
    const int conn = lt->second.front();
    lt->second.pop_front();
    if (lt->second.empty()) leaving_.erase(lt);
    if (accepted) {
      dispatches_.erase(conn);
      close_(conn);
    } else if (all_.empty()) {
      drop(conn);
    } else {
      refused(worker_id, conn);
    }
    return;
  }
  if (it->second.in_flight.empty()) return;
  WorkerState& w = it->second;
  const int conn = w.in_flight.front();
  w.in_flight.pop_front();
  if (accepted) {
    dispatches_.erase(conn);
    close_(conn);
  } else {
    refused(worker_id, conn);
  }
  handoff(worker_id);
}

void RoundRobinHandle::on_lost(int worker_id, int conn) {
  if (auto it = all_.find(worker_id); it != all_.end()) {
    auto& q = it->second.in_flight;
    auto pos = std::find(q.begin(), q.end(), conn);
    if (pos == q.end()) return;  // answered (or re-sent) meanwhile
    q.erase(pos);
    refused(worker_id, conn);
    handoff(worker_id);  // its slot is free again: the queue moves on
    return;
  }
  auto lt = leaving_.find(worker_id);
  if (lt == leaving_.end()) return;  // it died: its connections were re-sent already
  auto pos = std::find(lt->second.begin(), lt->second.end(), conn);
  if (pos == lt->second.end()) return;
  lt->second.erase(pos);
  if (lt->second.empty()) leaving_.erase(lt);
  if (all_.empty())
    drop(conn);
  else
    refused(worker_id, conn);
}

void RoundRobinHandle::refused(int worker_id, int conn) {
  // Out of the line first, so someone *else* takes it.
  if (auto it = all_.find(worker_id); it != all_.end() && it->second.free_pos) {
    free_.erase(*it->second.free_pos);
    it->second.free_pos.reset();
  }
  // Sent often enough: every worker it went to turned it down.
  if (max_dispatches_ != 0 && dispatches_[conn] >= max_dispatches_)
    drop(conn);
  else
    distribute(conn);
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
