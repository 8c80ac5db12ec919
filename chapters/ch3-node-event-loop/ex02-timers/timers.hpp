// kata::node::Timers — Node's timers (lib/internal/timers.js) on one loop.
//
// Node does not give every setTimeout its own libuv timer. It keeps one
// linked list per *duration* (all 10 ms timers together): a timer added later
// to a list is also due later, so appending keeps each list sorted for free.
// The lists sit in a small priority queue ordered by (expiry, list id), and
// one libuv timer is armed for the earliest list. Inserting is O(1) when the
// duration already has a list; the heap only holds one entry per duration.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "duration_map.hpp"  // support/: DurationMap, a map msecs → list
#include "slot_pool.hpp"     // support/: SlotPool, numbered nodes, reused
#include "timeout.hpp"       // Timeout, what set_timeout returns

namespace kata::node {

class Loop;
using Callback = std::function<void()>;

class Timers {
 public:
  Timers() = default;
  ~Timers();
  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;

  // Node's delay rule: `after *= 1; if (!(after >= 1 && after <= 2^31-1)) after = 1;`
  // then fractions are truncated. 0, negative, NaN and too large → 1 ms.
  static std::int64_t coerce_delay(double delay_ms);

  // setTimeout / setInterval: due at `start + delay` where start is the loop's
  // current time (Node's getLibuvNow()). `repeat` = setInterval. cb is moved from.
  Timeout start(Loop& loop, Callback&& cb, double delay_ms, bool repeat);
  // clearTimeout / clearInterval: removes it (also from inside a callback).
  void stop(Timeout t);
  void ref(Timeout t);
  void unref(Timeout t);
  bool has_ref(Timeout t) const;
  bool pending(Timeout t) const;  // scheduled and not yet fired / cleared

  // The timers phase (Node's processTimers): runs, with now = loop.now(),
  // every list whose expiry has come, each list's due timers in insertion
  // order; loop.after_callback() after each one (nextTicks + microtasks).
  void run(Loop& loop);

  // Expiry (ms, loop clock) of the earliest list, or none: poll's timeout.
  std::optional<std::int64_t> next_expiry() const;
  // Whether a ref'd timer exists (it keeps the loop alive).
  bool has_refed() const { return refed_ > 0; }
  std::size_t size() const { return count_; }

 private:
  struct List;
  struct Node {
    Callback cb;
    std::int64_t start = 0;   // _idleStart
    std::int64_t msecs = 0;   // _idleTimeout
    bool repeat = false;
    bool refed = true;
    bool linked = false;   // in a list (not while its callback runs)
    bool alive = false;    // scheduled or running, not cleared
    bool running = false;  // its callback is on the stack
    std::uint32_t gen = 1;
    std::uint32_t slot = 0;
    Node* prev = nullptr;
    Node* next = nullptr;
    List* list = nullptr;
  };
  struct List {
    std::int64_t msecs = 0;
    std::int64_t expiry = 0;
    std::uint64_t id = 0;
    std::size_t heap_pos = 0;
    Node* head = nullptr;
    Node* tail = nullptr;
  };

  Node* lookup(Timeout t);                    // the live timer it names, or nullptr
  const Node* lookup(Timeout t) const;
  void free_slot(std::uint32_t slot);         // new generation, slot back to nodes_
  void insert(Node& n, std::int64_t start);  // append to its duration's list
  void unlink(Node& n);                       // remove from its list (list freed if empty)
  void drop_list(List* list);
  void run_list(Loop& loop, List& list, std::int64_t now);
  // Binary min-heap of lists by (expiry, id).
  bool before(const List* a, const List* b) const;
  void heap_push(List* l);
  void heap_remove(List* l);
  void heap_fix(List* l);
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  // A Timeout names a slot of nodes_ and the generation it had: freeing a
  // slot bumps its generation, so a stale Timeout never matches again.
  SlotPool<Node> nodes_;
  DurationMap<List*> lists_;  // timerListMap: one list per duration
  std::vector<List*> heap_;   // timerListQueue
  std::uint64_t next_list_id_ = 1;
  List* running_ = nullptr;  // the list run_list() is working through
  std::size_t refed_ = 0;
  std::size_t count_ = 0;
};

}  // namespace kata::node
