// Exercise 4 — setImmediate and the check phase.
#include "immediates.hpp"

#include "kata/todo.hpp"
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
  (void)cb;
  KATA_TODO("add: queue_.emplace_back the callback as a queued, ref'd Node (it gets a seq), count it (count_, refed_), return Immediate{seq} (hint 1)");
}

void Immediates::clear(Immediate im) {
  (void)im;
  KATA_TODO("clear: mark the immediate as no longer queued so the check phase skips it; drop its callback; uncount it (hint 2)");
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
  KATA_TODO("run: detach the queue (remember queue_.end_seq()), then run each still-queued immediate with loop.invoke + loop.after_callback, pop_front each (hints 3-4)");
}

}  // namespace kata::node
