// Exercise 1 — the loop itself: run(), alive(), backend_timeout().
// Read libuv's uv_run (src/unix/core.c): your run() should read the same way,
// one line per phase. The phases are ready: run_timers(), run_pending(),
// run_idle(), run_prepare(), io_poll(timeout), run_check(),
// run_closing_handles(). See README.md for the rules and hints.
#include <algorithm>
#include <climits>

#include "handle.hpp"      // closing_ (ClosingHandles)
#include "immediates.hpp"  // immediates_
#include "kata/todo.hpp"
#include "loop.hpp"
#include "timers.hpp"      // timers_

namespace kata::node {

bool Loop::alive() const {
  KATA_TODO("alive: active ref'd handles, active requests, ref'd timers or immediates, pending callbacks, "
            "or closing handles (hint 1)");
}

int Loop::backend_timeout() const {
  KATA_TODO("backend_timeout: 0 when stopped/not alive/work waiting (pending, idle, closing); "
            "else ms to timers_.next_expiry(), -1 without timers (hint 2)");
}

bool Loop::run(RunMode mode) {
  (void)mode;
  KATA_TODO("run: libuv's uv_run — timers once up front (Default), then per iteration pending, idle, prepare, "
            "poll(timeout), pending again, check, close, update_time + timers (hints 3-5)");
}

}  // namespace kata::node
