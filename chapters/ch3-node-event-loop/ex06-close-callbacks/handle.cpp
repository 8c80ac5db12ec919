#include "handle.hpp"

#include <stdexcept>

#include "kata/todo.hpp"
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
  (void)on_close;
  KATA_TODO("close: refuse a second close, stop the handle (on_close_stop + deactivate), remember the callback, queue shared_from_this() on the loop's closing handles (hint 1)");
}

void ClosingHandles::push(std::shared_ptr<Handle> h) {
  (void)h;
  KATA_TODO("push: keep the handle until the close phase");
}

void ClosingHandles::run(Loop& loop) {
  (void)loop;
  KATA_TODO("run: detach the queue, mark each handle closed, run its callback with loop.invoke + loop.after_callback (hint 2)");
}

}  // namespace kata::node
