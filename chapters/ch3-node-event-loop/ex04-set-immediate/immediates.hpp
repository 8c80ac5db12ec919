// kata::node::Immediates — setImmediate's queue, run in the check phase.
//
// Node keeps one linked list of immediates. The check phase detaches the
// whole list first, so an immediate queued *by* an immediate runs in the next
// iteration (unlike nextTick, which would starve the loop). While ref'd
// immediates are waiting Node starts an idle handle, so the poll phase does
// not block (timeout 0): has_refed() is what the loop asks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace kata::node {

class Loop;
using Callback = std::function<void()>;

// What set_immediate returns (Node's Immediate object).
struct Immediate {
  std::uint32_t slot = 0;
  std::uint32_t gen = 0;  // 0 = "no immediate"
  explicit operator bool() const { return gen != 0; }
};

class Immediates {
 public:
  Immediates() = default;
  Immediates(const Immediates&) = delete;
  Immediates& operator=(const Immediates&) = delete;

  // setImmediate(cb): appended to the queue.
  Immediate add(Callback cb);
  // clearImmediate: it will not run (also when the check phase already
  // detached the list it is in).
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
    std::uint32_t gen = 1;
    std::uint32_t next = kNone;  // slot of the next in its list
    bool refed = true;
    bool queued = false;
  };
  static constexpr std::uint32_t kNone = 0xffffffffu;
  Node* lookup(Immediate im);
  const Node* lookup(Immediate im) const;
  void release(std::uint32_t slot);

  std::vector<Node> nodes_;  // slab: indices stay valid when it grows
  std::vector<std::uint32_t> free_;
  std::uint32_t head_ = kNone, tail_ = kNone;  // the queue being appended to
  std::size_t count_ = 0;
  std::size_t refed_ = 0;
};

}  // namespace kata::node
