// kata::node::Immediates — setImmediate's queue, run in the check phase.
//
// Node keeps one linked list of immediates. The check phase detaches the
// whole list first, so an immediate queued *by* an immediate runs in the next
// iteration (unlike nextTick, which would starve the loop). While ref'd
// immediates are waiting Node starts an idle handle, so the poll phase does
// not block (timeout 0): has_refed() is what the loop asks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "immediate.hpp"  // Immediate, what set_immediate returns
#include "seq_queue.hpp"  // support/: SeqQueue, a FIFO numbered by seq

namespace kata::node {

class Loop;
using Callback = std::function<void()>;

class Immediates {
 public:
  Immediates() = default;
  Immediates(const Immediates&) = delete;
  Immediates& operator=(const Immediates&) = delete;

  // setImmediate(cb): appended to the queue (cb is moved from).
  Immediate add(Callback&& cb);
  // clearImmediate: it will not run (also when the check phase already
  // detached the batch it is in).
  void clear(Immediate im);
  void ref(Immediate im);
  void unref(Immediate im);
  bool has_ref(Immediate im) const;

  // The check phase (Node's processImmediate): detach the queue, run each
  // immediate in order, loop.after_callback() after each.
  void run(Loop& loop);

  bool empty() const { return count_ == 0; }
  bool has_refed() const { return refed_ > 0; }
  std::size_t size() const { return count_; }

 private:
  struct Node {
    Callback cb;
    bool queued;  // will run: not run yet, not cleared
    bool refed;
  };
  Node* lookup(Immediate im);  // a queued immediate, or nullptr
  const Node* lookup(Immediate im) const;

  // The queue: a FIFO of nodes numbered by seq (set_immediate order).
  // Immediates join at the back and leave at the front; a cleared one stays
  // in place and is skipped when its turn comes (Node's
  // `immediate._destroyed`). No links, no free list: the numbers are the order.
  SeqQueue<Node> queue_;
  std::size_t count_ = 0;  // queued (not cleared) immediates
  std::size_t refed_ = 0;
};

}  // namespace kata::node
