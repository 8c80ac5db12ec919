#include "handle.hpp"

#include <stdexcept>

#include "loop.hpp"

namespace kata::node {

// ---- given: the active/ref bookkeeping behind uv__loop_alive -------------------
// The loop counts handles that are active AND ref'd; each transition of
// either bit adjusts that count once.
void Handle::activate() {
  if (active_) return;
  active_ = true;
  if (refed_) loop_.handle_ref_added();
}

void Handle::deactivate() {
  if (!active_) return;
  active_ = false;
  if (refed_) loop_.handle_ref_removed();
}

void Handle::ref() {
  if (refed_) return;
  refed_ = true;
  if (active_) loop_.handle_ref_added();
}

void Handle::unref() {
  if (!refed_) return;
  refed_ = false;
  if (active_) loop_.handle_ref_removed();
}

// ---- exercise 6: closing ------------------------------------------------------
void Handle::close(Callback on_close) {
  if (closing_ || closed_) throw std::logic_error("Handle::close: handle is already closing");
  // uv_close: stop watching now (no more callbacks from this handle) ...
  on_close_stop();
  deactivate();
  closing_ = true;
  close_cb_ = std::move(on_close);
  // ... and let the close callback wait for the close phase. The loop keeps
  // the handle alive until then, even if its owner has dropped it.
  loop_.closing_handles().push(shared_from_this());
}

void ClosingHandles::push(std::shared_ptr<Handle> h) { queue_.push_back(std::move(h)); }

void ClosingHandles::run(Loop& loop) {
  // Detach first: handles closed by these callbacks belong to the next
  // iteration's close phase (uv__run_closing_handles swaps the list).
  std::vector<std::shared_ptr<Handle>> batch;
  batch.swap(queue_);
  for (auto& h : batch) {
    h->closing_ = false;
    h->closed_ = true;
    Callback cb = std::move(h->close_cb_);
    h->close_cb_ = nullptr;
    if (cb) {
      loop.invoke(cb);
      loop.after_callback();
    }
  }
}

}  // namespace kata::node
