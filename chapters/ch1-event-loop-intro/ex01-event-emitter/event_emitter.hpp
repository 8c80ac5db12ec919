// kata::events::EventEmitter — Node's `events.EventEmitter`, in C++.
//
// Listeners take their arguments as a vector of std::any (JavaScript passes
// anything); `args.at(0)` with std::any_cast reads them. C++ can't compare
// std::function objects, so on()/once() return an id that off() takes
// (where Node's off(fn) compares the function itself).
#pragma once

#include <any>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace kata::events {

using Args = std::vector<std::any>;
using Listener = std::function<void(const Args&)>;
using ListenerId = std::uint64_t;

// Thrown by emit("error", ...) when nobody listens for "error" and the
// argument is not an exception_ptr (Node: ERR_UNHANDLED_ERROR).
class UnhandledError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class EventEmitter {
 public:
  virtual ~EventEmitter() = default;

  // Adds `fn` at the end of the listeners of `event` (addListener).
  ListenerId on(const std::string& event, Listener fn);
  // Like on(), but the listener is removed before its first call.
  ListenerId once(const std::string& event, Listener fn);
  // Removes one listener; returns false when it was not registered.
  bool off(const std::string& event, ListenerId id);
  // Removes all listeners of `event`.
  void remove_all_listeners(const std::string& event);

  // Calls every listener of `event` in registration order with `args`.
  // Returns true when there was at least one listener. A listener added or
  // removed during the emit does not change who is called by this emit.
  // emit("error") with no listener throws: the exception_ptr passed, or
  // UnhandledError.
  bool emit_args(const std::string& event, const Args& args);
  template <class... A>
  bool emit(const std::string& event, A&&... args) {
    return emit_args(event, Args{std::any(std::forward<A>(args))...});
  }

  std::size_t listener_count(const std::string& event) const;
  // Event names with at least one listener, in first-registration order.
  std::vector<std::string> event_names() const;

 private:
  struct Entry {
    ListenerId id;
    Listener fn;
    bool once;
    // Shared by the copies an emit takes: a once-listener fires at most once,
    // even when a nested emit reaches it first (Node's onceWrapper `fired`).
    std::shared_ptr<bool> fired;
  };
  ListenerId add(const std::string& event, Listener fn, bool once);

  std::map<std::string, std::vector<Entry>> listeners_;
  std::vector<std::string> order_;  // event names by first registration
  ListenerId next_id_ = 1;
};

}  // namespace kata::events
