#include "promise_state.hpp"

#include <stdexcept>
#include <utility>

#include "event_loop.hpp"
#include "kata/todo.hpp"

namespace kata::browser {

void PromiseState::resolve(Resolution resolution) {
  (void)resolution;
  KATA_TODO("first call only (already_resolved_); a plain value → fulfil(value); following itself → reject with a "
            "TypeError via settle_rejected; following another promise → queue_microtask(a job that calls "
            "follow->then(...) with handlers that call self->fulfil / self->settle_rejected — not resolve/reject, "
            "already_resolved_ is set — and return Resolution{}) (hints 1 and 4)");
}

void PromiseState::reject(std::exception_ptr reason) {
  (void)reason;
  KATA_TODO("first call only (already_resolved_), then settle_rejected(reason) (hint 1)");
}

void PromiseState::fulfil(std::any value) {
  (void)value;
  KATA_TODO("pending only: store the value, status fulfilled, queue a job for every waiting reaction, in order (hint 2)");
}

void PromiseState::settle_rejected(std::exception_ptr reason) {
  (void)reason;
  KATA_TODO("pending only: store the reason, status rejected, queue a job for every waiting reaction (hint 2)");
}

PromisePtr PromiseState::then(OnFulfilled on_fulfilled, OnRejected on_rejected) {
  (void)on_fulfilled, (void)on_rejected;
  KATA_TODO("make the derived promise; pending → remember the reaction; settled → queue its job now; "
            "return the derived promise (hint 2)");
}

void PromiseState::queue_reaction_job(Reaction reaction) {
  (void)reaction;
  KATA_TODO("queue_microtask: call the handler for the status (or pass the value/reason through) and resolve the "
            "derived promise with its result; if it throws, reject the derived promise (hint 3)");
}

std::string reason_text(std::exception_ptr reason) {  // plumbing (done)
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
