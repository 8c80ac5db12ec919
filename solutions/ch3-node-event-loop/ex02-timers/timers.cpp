// Exercise 2 — Node's timers: one list per duration, lists in a heap.
#include "timers.hpp"

#include <algorithm>
#include <cmath>

#include "loop.hpp"

namespace kata::node {

Timers::~Timers() {
  for (auto& [msecs, list] : lists_) delete list;  // nodes_ frees the nodes
}

std::int64_t Timers::coerce_delay(double delay_ms) {
  // `!(d >= 1 && d <= TIMEOUT_MAX)` is also true for NaN.
  if (!(delay_ms >= 1 && delay_ms <= 2147483647.0)) return 1;
  return std::int64_t(std::trunc(delay_ms));  // insert(): MathTrunc(msecs)
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
  n.start = start;
  List*& list = lists_[n.msecs];
  if (list == nullptr) {
    // A new duration: its list is due at start + msecs.
    list = new List{n.msecs, start + n.msecs, next_list_id_++, 0, nullptr, nullptr};
    heap_push(list);
  }
  // Appending keeps the list sorted: same duration, later start.
  n.list = list;
  n.prev = list->tail;
  n.next = nullptr;
  if (list->tail) list->tail->next = &n; else list->head = &n;
  list->tail = &n;
  n.linked = true;
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
  const std::int64_t msecs = coerce_delay(delay_ms);
  loop.update_time();  // getLibuvNow() reads a fresh time
  const std::uint32_t slot = nodes_.alloc();
  Node& n = nodes_[slot];
  n.cb.swap(cb);  // n.cb is empty: cb is moved in
  n.msecs = msecs;
  n.repeat = repeat;
  n.refed = true;
  n.alive = true;
  n.slot = slot;
  ++refed_;
  ++count_;
  insert(n, loop.now());
  return Timeout{slot, n.gen};
}

void Timers::stop(Timeout t) {
  Node* n = lookup(t);
  if (n == nullptr) return;  // fired, cleared, or never was: nothing to do
  if (n->linked) unlink(*n);
  if (n->refed) --refed_;
  --count_;
  n->alive = false;
  // A timer cleared from inside its own callback is freed when it returns.
  if (!n->running) free_slot(n->slot);
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
  if (heap_.empty()) return std::nullopt;
  return heap_[0]->expiry;
}

// ---- the timers phase: processTimers + listOnTimeout ----------------------------------
void Timers::run(Loop& loop) {
  const std::int64_t now = loop.now();
  while (!heap_.empty()) {
    List* list = heap_[0];
    if (list->expiry > now) return;  // the earliest list is not due yet
    run_list(loop, *list, now);
    if (loop.exiting()) return;
  }
}

void Timers::run_list(Loop& loop, List& list, std::int64_t now) {
  running_ = &list;
  while (Node* n = list.head) {
    if (now - n->start < list.msecs) {
      // The rest of this list is due later: requeue the list at its new
      // expiry (never in the past: at least now + 1) with a fresh id.
      list.expiry = std::max(n->start + list.msecs, now + 1);
      list.id = next_list_id_++;
      heap_fix(&list);
      running_ = nullptr;
      return;
    }
    unlink(*n);
    // setInterval: the next run is counted from the start of this one.
    std::int64_t start = 0;
    if (n->repeat) {
      loop.update_time();
      start = loop.now();
    }
    n->running = true;
    loop.invoke(n->cb);
    n->running = false;
    if (n->alive && n->repeat) {
      insert(*n, start);
    } else {
      if (n->alive) {  // fired once: done
        n->alive = false;
        if (n->refed) --refed_;
        --count_;
      }
      free_slot(n->slot);
    }
    loop.after_callback();  // nextTicks + microtasks after *each* timer
    if (loop.exiting()) break;
  }
  running_ = nullptr;
  if (list.head == nullptr) drop_list(&list);
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
