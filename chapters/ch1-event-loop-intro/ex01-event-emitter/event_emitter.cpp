#include "event_emitter.hpp"

#include <algorithm>
#include <exception>

#include "kata/todo.hpp"

namespace kata::events {

ListenerId EventEmitter::add(const std::string& event, Listener fn, bool once) {
  (void)event, (void)fn, (void)once;
  KATA_TODO("store the listener at the end of listeners_[event] with a fresh id (a once-listener gets a shared fired flag); remember the event in order_ (hint 1)");
}

ListenerId EventEmitter::on(const std::string& event, Listener fn) { return add(event, std::move(fn), false); }

ListenerId EventEmitter::once(const std::string& event, Listener fn) { return add(event, std::move(fn), true); }

bool EventEmitter::off(const std::string& event, ListenerId id) {
  (void)event, (void)id;
  KATA_TODO("find the entry with this id and erase it (an emptied event leaves listeners_ and order_); return whether one was removed (hint 2)");
}

void EventEmitter::remove_all_listeners(const std::string& event) {
  (void)event;
  KATA_TODO("drop every listener of the event, and its name from order_");
}

bool EventEmitter::emit_args(const std::string& event, const Args& args) {
  (void)event, (void)args;
  KATA_TODO("call a *copy* of the listener list in order; once-listeners are skipped if *fired, else marked fired and removed before their call; "
            "'error' with no listener throws (hints 3 and 4)");
}

std::size_t EventEmitter::listener_count(const std::string& event) const {
  (void)event;
  KATA_TODO("how many listeners does the event have?");
}

std::vector<std::string> EventEmitter::event_names() const { return order_; }

}  // namespace kata::events
