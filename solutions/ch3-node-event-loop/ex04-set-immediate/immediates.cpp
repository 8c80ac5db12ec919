// Exercise 4 — setImmediate and the check phase.
#include "immediates.hpp"

#include "loop.hpp"

namespace kata::node {

Immediates::Node* Immediates::lookup(Immediate im) {
  if (im.gen == 0 || im.slot >= nodes_.size()) return nullptr;
  Node& n = nodes_[im.slot];
  return n.gen == im.gen && n.queued ? &n : nullptr;
}

const Immediates::Node* Immediates::lookup(Immediate im) const {
  return const_cast<Immediates*>(this)->lookup(im);
}

void Immediates::release(std::uint32_t slot) {
  Node& n = nodes_[slot];
  n.cb = nullptr;
  n.queued = false;
  n.next = kNone;
  if (++n.gen == 0) n.gen = 1;
  free_.push_back(slot);
}

Immediate Immediates::add(Callback cb) {
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = std::uint32_t(nodes_.size());
    nodes_.emplace_back();
  }
  Node& n = nodes_[slot];
  n.cb = std::move(cb);
  n.refed = true;
  n.queued = true;
  n.next = kNone;
  // Append to the queue the next check phase will take.
  if (tail_ == kNone) head_ = slot; else nodes_[tail_].next = slot;
  tail_ = slot;
  ++count_;
  ++refed_;  // the first ref'd immediate starts Node's idle handle
  return Immediate{slot, n.gen};
}

void Immediates::clear(Immediate im) {
  Node* n = lookup(im);
  if (n == nullptr) return;
  // Not unlinked (the list is singly linked): marked, and skipped when its
  // turn comes — Node's `immediate._destroyed`.
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
  // to a fresh queue, for the next iteration.
  std::uint32_t slot = head_;
  head_ = tail_ = kNone;
  while (slot != kNone) {
    const std::uint32_t next = nodes_[slot].next;
    if (!nodes_[slot].queued) {  // cleared: skip (and free) it
      release(slot);
      slot = next;
      continue;
    }
    Callback cb = std::move(nodes_[slot].cb);  // nodes_ may grow while it runs
    --count_;
    if (nodes_[slot].refed) --refed_;
    release(slot);
    loop.invoke(cb);
    loop.after_callback();  // nextTicks + microtasks after *each* immediate
    if (loop.exiting()) {
      // process.exit(): the rest never runs (Node's process is gone).
      for (std::uint32_t s = next; s != kNone;) {
        const std::uint32_t nx = nodes_[s].next;
        if (nodes_[s].queued) { --count_; if (nodes_[s].refed) --refed_; }
        release(s);
        s = nx;
      }
      return;
    }
    slot = next;
  }
}

}  // namespace kata::node
