#include "promise_state.hpp"

#include <stdexcept>
#include <utility>

#include "event_loop.hpp"

namespace kata::browser {

void PromiseState::resolve(Resolution resolution) {
  if (already_resolved_) return;  // the first resolve/reject wins
  already_resolved_ = true;
  if (!resolution.follow) {
    fulfil(std::move(resolution.value));
    return;
  }
  if (resolution.follow.get() == this) {
    settle_rejected(std::make_exception_ptr(std::logic_error("TypeError: Chaining cycle detected for promise")));
    return;
  }
  // NewPromiseResolveThenableJob: *one* microtask later, call follow.then()
  // with handlers that settle us. If `follow` is already settled, that then()
  // queues its reaction — a *second* tick — and only then are we settled,
  // which queues our own reactions (the third). Hence "+2 ticks".
  queue_microtask([self = shared_from_this(), follow = std::move(resolution.follow)] {
    follow->then(
        [self](const std::any& value) {
          self->fulfil(value);
          return Resolution{};
        },
        [self](std::exception_ptr reason) {
          self->settle_rejected(reason);
          return Resolution{};
        });
  });
}

void PromiseState::reject(std::exception_ptr reason) {
  if (already_resolved_) return;
  already_resolved_ = true;
  settle_rejected(std::move(reason));
}

void PromiseState::fulfil(std::any value) {
  if (status_ != Status::pending) return;
  status_ = Status::fulfilled;
  value_ = std::move(value);
  auto reactions = std::exchange(reactions_, {});
  for (auto& r : reactions) queue_reaction_job(std::move(r));  // in registration order
}

void PromiseState::settle_rejected(std::exception_ptr reason) {
  if (status_ != Status::pending) return;
  status_ = Status::rejected;
  reason_ = std::move(reason);
  auto reactions = std::exchange(reactions_, {});
  for (auto& r : reactions) queue_reaction_job(std::move(r));
}

PromisePtr PromiseState::then(OnFulfilled on_fulfilled, OnRejected on_rejected) {
  auto derived = make();
  Reaction reaction{derived, std::move(on_fulfilled), std::move(on_rejected)};
  if (status_ == Status::pending) reactions_.push_back(std::move(reaction));
  else queue_reaction_job(std::move(reaction));  // settled: the job is queued now, not run now
  return derived;
}

void PromiseState::queue_reaction_job(Reaction reaction) {
  // PromiseReactionJob: call the handler (or pass through), then resolve the
  // derived promise with its result — or reject it if the handler threw.
  queue_microtask([self = shared_from_this(), r = std::move(reaction)] {
    try {
      if (self->status_ == Status::fulfilled) {
        if (r.on_fulfilled) r.derived->resolve(r.on_fulfilled(self->value_));
        else r.derived->resolve(Resolution{self->value_, nullptr});
      } else {
        if (r.on_rejected) r.derived->resolve(r.on_rejected(self->reason_));
        else r.derived->reject(self->reason_);
      }
    } catch (...) {
      r.derived->reject(std::current_exception());
    }
  });
}

std::string reason_text(std::exception_ptr reason) {
  if (!reason) return "unknown";
  try {
    std::rethrow_exception(reason);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown";
  }
}

}  // namespace kata::browser
