// The reference Node runtime in one include: the event loop and its parts.
// Later chapters (child_process, cluster) build on it through the CMake
// target kata_node_runtime; see loop.hpp for the loop itself. The parts a
// program does not call directly (Timers, Immediates, ThreadPool) are left
// out: include timers.hpp & co where you do.
#pragma once

#include "event_emitter.hpp"  // kata::events::EventEmitter (chapter 1)
#include "handle.hpp"
#include "hooks.hpp"
#include "loop.hpp"
#include "poll.hpp"
#include "process.hpp"
#include "promise.hpp"
