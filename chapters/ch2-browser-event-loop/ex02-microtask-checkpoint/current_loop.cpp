// Plumbing (not part of the exercise): which EventLoop is "current".
#include <stdexcept>
#include <utility>

#include "event_loop.hpp"

namespace kata::browser {
namespace {
thread_local EventLoop* g_current = nullptr;
}

EventLoop::EventLoop() : previous_(g_current) { g_current = this; }
EventLoop::~EventLoop() {
  if (g_current == this) g_current = previous_;
}
EventLoop* EventLoop::current() { return g_current; }

void queue_microtask(Task microtask) {
  EventLoop* loop = EventLoop::current();
  if (loop == nullptr) throw std::logic_error("queue_microtask: no kata::browser::EventLoop exists");
  loop->queue_microtask(std::move(microtask));
}

}  // namespace kata::browser
