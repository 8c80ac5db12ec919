// kata::browser::PromiseState — the untyped heart of a Promise (ECMAScript
// 27.2): a state, a value or a reason, and a list of reactions.
//
// Promise<T> (promise.hpp) is a typed handle around a shared PromiseState;
// the typing is done for you. This file is where the event loop shows:
// every reaction runs as a *microtask*, never right away.
//
//   then(f, r)       pending  → remember the reaction
//                    settled  → queue the reaction job now
//   settle           queue a job for each remembered reaction, in order
//   resolve(p)       p is a promise: queue a job that calls p.then(...) —
//                    "NewPromiseResolveThenableJob": adopting a promise costs
//                    two extra microtask ticks, as in V8.
#pragma once

#include <any>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kata::browser {

class PromiseState;
using PromisePtr = std::shared_ptr<PromiseState>;

// What resolve() is given, or what a handler returned: a value, or another
// promise to follow (when `follow` is set, `value` is ignored).
struct Resolution {
  std::any value;
  PromisePtr follow;
};
// Reaction handlers. They may throw: the derived promise is then rejected
// with the exception. An empty std::function means "no handler": the value
// (or the reason) passes through to the derived promise.
using OnFulfilled = std::function<Resolution(const std::any& value)>;
using OnRejected = std::function<Resolution(std::exception_ptr reason)>;

class PromiseState : public std::enable_shared_from_this<PromiseState> {
 public:
  enum class Status { pending, fulfilled, rejected };

  static PromisePtr make() { return std::make_shared<PromiseState>(); }

  // The "resolve" and "reject" functions an executor receives. Only the
  // first call of either one counts ("already resolved"); later calls are
  // ignored. resolve() with a promise *locks in* this one: it stays pending
  // until the followed promise settles, then takes its outcome.
  void resolve(Resolution resolution);
  void reject(std::exception_ptr reason);

  // PerformPromiseThen: registers the handlers and returns the derived
  // promise, which the reaction job resolves with the handler's result.
  PromisePtr then(OnFulfilled on_fulfilled, OnRejected on_rejected);

  Status status() const { return status_; }
  const std::any& value() const { return value_; }          // when fulfilled
  std::exception_ptr reason() const { return reason_; }     // when rejected

 private:
  struct Reaction {
    PromisePtr derived;
    OnFulfilled on_fulfilled;
    OnRejected on_rejected;
  };
  // Settle for good (no "already resolved" check: used by the adoption job
  // too) and queue the reactions.
  void fulfil(std::any value);
  void settle_rejected(std::exception_ptr reason);
  // Queues the microtask that runs one reaction against this settled promise.
  void queue_reaction_job(Reaction reaction);

  Status status_ = Status::pending;
  std::any value_;
  std::exception_ptr reason_;
  bool already_resolved_ = false;
  std::vector<Reaction> reactions_;  // while pending
};

// The message of a rejection reason (what() of a std::exception, else "unknown").
std::string reason_text(std::exception_ptr reason);

}  // namespace kata::browser
