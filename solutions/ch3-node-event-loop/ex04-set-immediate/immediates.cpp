// Exercise 4 — setImmediate and the check phase.
#include "immediates.hpp"

#include "loop.hpp"

namespace kata::node {

Immediates::Node* Immediates::lookup(Immediate im) {
  if (!queue_.contains(im.seq)) return nullptr;  // none, run, or never was
  Node& n = queue_.at(im.seq);
  return n.queued ? &n : nullptr;
}

const Immediates::Node* Immediates::lookup(Immediate im) const {
  return const_cast<Immediates*>(this)->lookup(im);
}

Immediate Immediates::add(Callback&& cb) {
  // Appended to the queue the next check phase will take.
  const std::uint64_t seq = queue_.emplace_back(std::move(cb), /*queued=*/true, /*refed=*/true);
  ++count_;
  ++refed_;  // the first ref'd immediate starts Node's idle handle
  return Immediate{seq};
}

void Immediates::clear(Immediate im) {
  Node* n = lookup(im);
  if (n == nullptr) return;
  // Not removed (only the front leaves the queue): marked, and skipped when
  // its turn comes — Node's `immediate._destroyed`.
  n->queued = false;
  n->cb = nullptr;
  --count_;
  if (n->refed) --refed_;
}

void Immediates::ref(Immediate im) {
  if (Node* n = lookup(im); n && !n->refed) { n->refed = true; ++refed_; }
}

void Immediates::unref(Immediate im) {
  if (Node* n = lookup(im); n && n->refed) { n->refed = false; --refed_; }
}

bool Immediates::has_ref(Immediate im) const {
  const Node* n = lookup(im);
  return n != nullptr && n->refed;
}

void Immediates::run(Loop& loop) {
  // processImmediate: take the whole queue; what these callbacks queue goes
  // behind `end`, for the next iteration.
  const std::uint64_t end = queue_.end_seq();
  while (queue_.front_seq() != end) {
    Node& n = queue_.front();
    if (!n.queued) [[unlikely]] {  // cleared: skip it
      queue_.pop_front();
      continue;
    }
    n.queued = false;  // running: clear_immediate on it does nothing now
    --count_;
    if (n.refed) --refed_;
    loop.invoke(n.cb);  // in place: queued nodes never move while it adds more
    queue_.pop_front();
    loop.after_callback();  // nextTicks + microtasks after *each* immediate
    if (loop.exiting()) [[unlikely]] {
      // process.exit(): the rest never runs (Node's process is gone).
      for (; queue_.front_seq() != end; queue_.pop_front()) {
        Node& rest = queue_.front();
        if (rest.queued) { --count_; if (rest.refed) --refed_; }
      }
      return;
    }
  }
}

}  // namespace kata::node
