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
#include <utility>
#include <vector>

namespace kata::node {

class Loop;
using Callback = std::function<void()>;

// What set_immediate returns (Node's Immediate object): the immediate's
// number in the order of set_immediate calls. Numbers are never reused, so
// a stale Immediate (run or cleared) never names another one.
struct Immediate {
  std::uint64_t seq = 0;  // 0 = "no immediate"
  explicit operator bool() const { return seq != 0; }
};

class Immediates {
 public:
  Immediates() = default;
  ~Immediates();
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
  // Immediates only ever join at the back and leave at the front (a cleared
  // one stays in place, skipped when its turn comes — Node's
  // `immediate._destroyed`), so the queue is a FIFO of nodes numbered by
  // seq: nodes [head_, tail_) are in it, each with a constructed `cb`. No
  // links, no free list: the numbers are the order.
  struct Node {
    Callback cb;
    bool queued;  // will run: not run yet, not cleared
    bool refed;
  };
  static constexpr std::uint64_t kChunk = 4096;  // nodes per chunk
  // The node numbered seq (base_ <= seq < tail_).
  Node& node(std::uint64_t seq) {
    const std::uint64_t i = seq - base_;
    return chunks_[std::size_t(i / kChunk)][i % kChunk];
  }
  Node* lookup(Immediate im);  // a queued immediate, or nullptr
  const Node* lookup(Immediate im) const;
  // Appends a node (constructed cb; queued, refed), returns its seq.
  std::uint64_t push_back(Callback&& cb);
  // Removes the front node (head_): destroys its cb, ++head_, and hands a
  // chunk it has left behind back (one is kept as a spare).
  void pop_front();

  // Raw storage: a node is constructed by push_back and destroyed by
  // pop_front. Chunks never move: a node stays where it is while its
  // callback runs and adds more. chunks_[0] holds seqs [base_, base_ + kChunk).
  std::vector<Node*> chunks_;
  Node* spare_ = nullptr;           // a used-up chunk kept for the next one
  std::uint64_t base_ = 1;          // seq of the first node of chunks_[0]
  std::uint64_t head_ = 1, tail_ = 1;  // the queue: [head_, tail_); seq 0 = none
  std::size_t count_ = 0;           // queued (not cleared) immediates
  std::size_t refed_ = 0;
};

}  // namespace kata::node
