// Idle / prepare / check hooks (given plumbing, not an exercise).
#include "hooks.hpp"

#include "loop.hpp"

namespace kata::node {

std::shared_ptr<Hook> Hook::create(Loop& loop, HookKind kind) {
  return std::shared_ptr<Hook>(new Hook(loop, kind));
}

void Hook::start(Callback cb) {
  cb_ = std::move(cb);
  if (is_active() || is_closing()) return;
  activate();
  loop().hook_started(*this);
}

void Hook::stop() {
  if (!is_active()) return;
  deactivate();
  loop().hook_stopped(*this);
}

}  // namespace kata::node
