// Exercise 4 — setImmediate and the check phase.
#include "immediates.hpp"

#include <new>

#include "kata/todo.hpp"
#include "loop.hpp"

namespace kata::node {

Immediates::~Immediates() {
  while (head_ != tail_) pop_front();
  for (Node* c : chunks_) ::operator delete(c);
  ::operator delete(spare_);
}

std::uint64_t Immediates::push_back(Callback&& cb) {
  const std::uint64_t i = tail_ - base_;
  if (i == chunks_.size() * kChunk) {  // the last chunk is full (or there is none)
    Node* c = spare_;
    spare_ = nullptr;
    if (c == nullptr) c = static_cast<Node*>(::operator new(sizeof(Node) * kChunk));
    chunks_.push_back(c);
  }
  ::new (&node(tail_)) Node{std::move(cb), true, true};
  return tail_++;
}

void Immediates::pop_front() {
  node(head_).~Node();
  if (++head_ - base_ == kChunk) {  // the first chunk is used up
    Node* c = chunks_.front();
    chunks_.erase(chunks_.begin());
    base_ += kChunk;
    if (spare_ == nullptr) spare_ = c; else ::operator delete(c);
  }
}

Immediates::Node* Immediates::lookup(Immediate im) {
  if (im.seq < head_ || im.seq >= tail_) return nullptr;  // none, run, or never was
  Node& n = node(im.seq);
  return n.queued ? &n : nullptr;
}

const Immediates::Node* Immediates::lookup(Immediate im) const {
  return const_cast<Immediates*>(this)->lookup(im);
}

Immediate Immediates::add(Callback&& cb) {
  (void)cb;
  KATA_TODO("add: push_back the callback (it gets a seq), count it (count_, refed_), return Immediate{seq} (hint 1)");
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
  KATA_TODO("run: detach the queue (remember tail_), then run each still-queued immediate with loop.invoke + loop.after_callback, pop_front each (hints 3-4)");
}

}  // namespace kata::node
