// Exercise 2 — Node's timers: one list per duration, lists in a heap.
#include "timers.hpp"

#include <algorithm>
#include <cmath>

#include "kata/todo.hpp"
#include "loop.hpp"

namespace kata::node {

Timers::~Timers() {
  for (auto& [msecs, list] : lists_) delete list;  // nodes_ frees the nodes
}

std::int64_t Timers::coerce_delay(double delay_ms) {
  (void)delay_ms;
  KATA_TODO("coerce_delay: Node turns 0, negative, NaN and > 2^31-1 into 1 ms, and truncates fractions (hint 1)");
}

// ---- slots: a Timeout names a slot + generation; freed slots are reused ----------
void Timers::free_slot(std::uint32_t slot) {
  Node& n = nodes_[slot];
  n.cb = nullptr;
  n.alive = false;
  if (++n.gen == 0) n.gen = 1;  // a stale Timeout never matches again
  nodes_.free(slot);
}

Timers::Node* Timers::lookup(Timeout t) {
  if (t.gen == 0 || t.slot >= nodes_.size()) return nullptr;
  Node& n = nodes_[t.slot];
  return n.gen == t.gen && n.alive ? &n : nullptr;
}

const Timers::Node* Timers::lookup(Timeout t) const { return const_cast<Timers*>(this)->lookup(t); }

// ---- the per-duration lists ---------------------------------------------------------
void Timers::insert(Node& n, std::int64_t start) {
  (void)n;
  (void)start;
  KATA_TODO("insert: append n to the list of its duration (create the list, due at start + msecs, and heap_push it when missing) (hint 2)");
}

void Timers::unlink(Node& n) {
  List* list = n.list;
  if (n.prev) n.prev->next = n.next; else list->head = n.next;
  if (n.next) n.next->prev = n.prev; else list->tail = n.prev;
  n.prev = n.next = nullptr;
  n.list = nullptr;
  n.linked = false;
  // Node's unenroll drops an empty list from the map and the queue — except
  // the list being run right now, which run_list() drops when it is done.
  if (list->head == nullptr && list != running_) drop_list(list);
}

void Timers::drop_list(List* list) {
  heap_remove(list);
  lists_.erase(list->msecs);
  delete list;
}

// ---- the API ----------------------------------------------------------------------------
Timeout Timers::start(Loop& loop, Callback&& cb, double delay_ms, bool repeat) {
  (void)loop;
  (void)cb;
  (void)delay_ms;
  (void)repeat;
  KATA_TODO("start: coerce the delay, take a slot (nodes_.alloc()), fill the Node, count it (refed_, count_), insert it at the loop's fresh time (hint 3)");
}

void Timers::stop(Timeout t) {
  (void)t;
  KATA_TODO("stop: look the timer up, unlink it if linked, uncount it, free its slot unless its callback is running (hint 4)");
}

void Timers::ref(Timeout t) {
  if (Node* n = lookup(t); n && !n->refed) { n->refed = true; ++refed_; }
}

void Timers::unref(Timeout t) {
  if (Node* n = lookup(t); n && n->refed) { n->refed = false; --refed_; }
}

bool Timers::has_ref(Timeout t) const {
  const Node* n = lookup(t);
  return n != nullptr && n->refed;
}

bool Timers::pending(Timeout t) const { return lookup(t) != nullptr; }

std::optional<std::int64_t> Timers::next_expiry() const {
  KATA_TODO("next_expiry: the expiry of the list at the top of the heap, if any");
}

// ---- the timers phase: processTimers + listOnTimeout ----------------------------------
void Timers::run(Loop& loop) {
  (void)loop;
  KATA_TODO("run: while the top list of the heap is due at loop.now(), run_list it (hint 5)");
}

void Timers::run_list(Loop& loop, List& list, std::int64_t now) {
  (void)loop;
  (void)list;
  (void)now;
  KATA_TODO("run_list: listOnTimeout — run the due timers of this list in order (running around the call; an interval re-inserted, a one-shot uncounted and its slot freed; then after_callback), requeue the list at its next expiry, drop it when empty (hints 5-7)");
}

// ---- the heap of lists, ordered by (expiry, id) -------------------------------------------
bool Timers::before(const List* a, const List* b) const {
  return a->expiry != b->expiry ? a->expiry < b->expiry : a->id < b->id;
}

void Timers::heap_push(List* l) {
  l->heap_pos = heap_.size();
  heap_.push_back(l);
  sift_up(l->heap_pos);
}

void Timers::heap_remove(List* l) {
  const std::size_t i = l->heap_pos;
  List* last = heap_.back();
  heap_.pop_back();
  if (i == heap_.size()) return;
  heap_[i] = last;
  last->heap_pos = i;
  heap_fix(last);
}

void Timers::heap_fix(List* l) {
  sift_up(l->heap_pos);
  sift_down(l->heap_pos);
}

void Timers::sift_up(std::size_t i) {
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(heap_[i], heap_[parent])) break;
    std::swap(heap_[i], heap_[parent]);
    heap_[i]->heap_pos = i;
    heap_[parent]->heap_pos = parent;
    i = parent;
  }
}

void Timers::sift_down(std::size_t i) {
  for (;;) {
    std::size_t best = i;
    const std::size_t l = 2 * i + 1, r = l + 1;
    if (l < heap_.size() && before(heap_[l], heap_[best])) best = l;
    if (r < heap_.size() && before(heap_[r], heap_[best])) best = r;
    if (best == i) return;
    std::swap(heap_[i], heap_[best]);
    heap_[i]->heap_pos = i;
    heap_[best]->heap_pos = best;
    i = best;
  }
}

}  // namespace kata::node
