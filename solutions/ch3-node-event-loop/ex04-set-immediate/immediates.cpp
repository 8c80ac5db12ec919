// Exercise 4 — setImmediate and the check phase.
#include "immediates.hpp"

#include <new>

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
  // Appended to the queue the next check phase will take.
  const std::uint64_t seq = push_back(std::move(cb));
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
  const std::uint64_t end = tail_;
  while (head_ != end) {
    Node& n = node(head_);
    if (!n.queued) [[unlikely]] {  // cleared: skip it
      pop_front();
      continue;
    }
    n.queued = false;  // running: clear_immediate on it does nothing now
    --count_;
    if (n.refed) --refed_;
    loop.invoke(n.cb);  // in place: chunks never move while it adds more
    pop_front();
    loop.after_callback();  // nextTicks + microtasks after *each* immediate
    if (loop.exiting()) [[unlikely]] {
      // process.exit(): the rest never runs (Node's process is gone).
      for (; head_ != end; pop_front()) {
        Node& rest = node(head_);
        if (rest.queued) { --count_; if (rest.refed) --refed_; }
      }
      return;
    }
  }
}

}  // namespace kata::node
