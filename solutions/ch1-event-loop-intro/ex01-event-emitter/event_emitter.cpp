#include "event_emitter.hpp"

#include <algorithm>
#include <exception>

namespace kata::events {

ListenerId EventEmitter::add(const std::string& event, Listener fn, bool once) {
  auto& list = listeners_[event];
  if (list.empty() && std::find(order_.begin(), order_.end(), event) == order_.end()) order_.push_back(event);
  const ListenerId id = next_id_++;
  list.push_back(Entry{id, std::move(fn), once, once ? std::make_shared<bool>(false) : nullptr});
  return id;
}

ListenerId EventEmitter::on(const std::string& event, Listener fn) { return add(event, std::move(fn), false); }

ListenerId EventEmitter::once(const std::string& event, Listener fn) { return add(event, std::move(fn), true); }

bool EventEmitter::off(const std::string& event, ListenerId id) {
  auto it = listeners_.find(event);
  if (it == listeners_.end()) return false;
  auto& list = it->second;
  auto pos = std::find_if(list.begin(), list.end(), [&](const Entry& e) { return e.id == id; });
  if (pos == list.end()) return false;
  list.erase(pos);
  if (list.empty()) {
    listeners_.erase(it);
    order_.erase(std::remove(order_.begin(), order_.end(), event), order_.end());
  }
  return true;
}

void EventEmitter::remove_all_listeners(const std::string& event) {
  listeners_.erase(event);
  order_.erase(std::remove(order_.begin(), order_.end(), event), order_.end());
}

bool EventEmitter::emit_args(const std::string& event, const Args& args) {
  auto it = listeners_.find(event);
  if (it == listeners_.end() || it->second.empty()) {
    if (event == "error") {
      if (!args.empty() && args[0].type() == typeid(std::exception_ptr))
        std::rethrow_exception(std::any_cast<std::exception_ptr>(args[0]));
      std::string what = "Unhandled error.";
      if (!args.empty() && args[0].type() == typeid(std::string))
        what += " ('" + std::any_cast<std::string>(args[0]) + "')";
      throw UnhandledError(what);
    }
    return false;
  }
  // Node copies the array before calling: listeners removed or added by a
  // listener neither skip nor repeat anyone during this emit.
  const std::vector<Entry> snapshot = it->second;
  for (const Entry& e : snapshot) {
    if (e.once) {
      if (*e.fired) continue;  // a nested emit already called it
      *e.fired = true;
      // Removed before the call, so an emit from inside does not re-enter it.
      // If an earlier listener already off()'d it, Node still calls it: the
      // snapshot was taken before.
      off(event, e.id);
    }
    e.fn(args);
  }
  return true;
}

std::size_t EventEmitter::listener_count(const std::string& event) const {
  auto it = listeners_.find(event);
  return it == listeners_.end() ? 0 : it->second.size();
}

std::vector<std::string> EventEmitter::event_names() const { return order_; }

}  // namespace kata::events
