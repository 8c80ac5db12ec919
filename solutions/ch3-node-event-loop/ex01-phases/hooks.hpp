// Idle, prepare and check handles (uv_idle_t, uv_prepare_t, uv_check_t):
// callbacks the loop calls on every iteration in their phase while started.
// Node uses them internally (an idle handle keeps poll from blocking while
// immediates wait; a check handle runs the immediates). Here they also let
// a test watch each phase go by.
#pragma once

#include <memory>

#include "handle.hpp"

namespace kata::node {

enum class HookKind { Idle, Prepare, Check };

class Hook final : public Handle {
 public:
  static std::shared_ptr<Hook> create(Loop& loop, HookKind kind);
  // Starts calling cb once per iteration in the hook's phase.
  void start(Callback cb);
  void stop();
  HookKind kind() const { return kind_; }

 private:
  friend class Loop;
  Hook(Loop& loop, HookKind kind) : Handle(loop), kind_(kind) {}
  void on_close_stop() override { stop(); }
  HookKind kind_;
  Callback cb_;
};

}  // namespace kata::node
