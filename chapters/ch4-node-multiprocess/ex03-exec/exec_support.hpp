// Given: the plumbing under exec.cpp. What exec teaches — the buffering, the
// timeout and killSignal, maxBuffer, Node's error fields, exec being
// execFile('/bin/sh', ['-c', command]) — stays in exec.cpp; how to read two
// pipes without a loop and where a UTF-8 character ends are here.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "event_emitter.hpp"
#include "exec.hpp"
#include "launcher.hpp"

namespace kata::child_process {

// One step of a UTF-8 decoder, at bytes[i] (i < bytes.size()): either a
// whole well-formed character of `length` bytes (valid), or the maximal
// subpart of an ill-formed sequence (at least 1 byte), which Node's decoder
// (TextDecoder, Buffer.toString) turns into ONE U+FFFD. Well-formed means
// Unicode's table 3-7: after the lead byte the next byte's range is
// narrower for E0 (A0-BF), ED (80-9F), F0 (90-BF), F4 (80-8F) — no
// overlongs, no surrogates, nothing past U+10FFFF.
struct Utf8Step {
  std::size_t length;
  bool valid;
};
Utf8Step utf8_step(std::string_view bytes, std::size_t i);

// The exception an "error" event of a ChildProcess carries (args as the
// listener got them), as an ExecError with the same message and, for a
// SystemError, Node's string code (err.code: "ENOENT", "EACCES").
ExecError exec_error(const kata::events::Args& error_args);

// What wait_sync() saw of a child.
struct SyncRun {
  std::string out, err;             // what it wrote, cut at max_buffer
  std::optional<std::string> over;  // "stdout" / "stderr": passed max_buffer (child sent kill_signal)
  bool timed_out = false;           // timeout_ms passed first (child sent kill_signal)
  ExitStatus status;                // how it ended
};

// exec_sync's wait, with no loop: poll() BOTH pipes at once until both
// reach EOF (reading one to its end, then the other, deadlocks when the
// child fills the second pipe meanwhile), sending kill_signal once output
// passes max_buffer or timeout_ms (0 = none) passes. Then closes the pipes,
// reaps the child (reap_blocking: its only reaper) and closes its pidfd.
SyncRun wait_sync(const Launched& child, std::size_t max_buffer, int timeout_ms, int kill_signal);

}  // namespace kata::child_process
