// Exercise 4 — setImmediate and the check phase.
#include "immediates.hpp"

#include "kata/todo.hpp"
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
  (void)cb;
  KATA_TODO("add: take a slot (free_ or a new one), fill it, append it to the queue (head_/tail_), count it (count_, refed_) (hint 1)");
}

void Immediates::clear(Immediate im) {
  (void)im;
  KATA_TODO("clear: mark the immediate as no longer queued so the check phase skips it; uncount it (hint 2)");
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
  (void)loop;
  KATA_TODO("run: detach the whole queue, then run each still-queued immediate with loop.invoke + loop.after_callback (hints 3-4)");
}

}  // namespace kata::node
