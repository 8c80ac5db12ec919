// KATA_TODO: the learner's "not done yet" marker.
//
// A stub body says KATA_TODO("what to do, which hint"). Reaching it throws
// kata::NotDoneYet whose message reads
//     not done yet: chapters/ch1-.../event_emitter.cpp:12 — <hint>
// The test harness also records it as a failure of the running test, so the
// test fails with that message even if the learner's own code catches the
// exception (an event loop that routes exceptions to 'uncaughtException').
#pragma once

#include <stdexcept>
#include <string>

namespace kata {

class NotDoneYet : public std::logic_error {
 public:
  NotDoneYet(std::string where, std::string hint);
  const std::string& where() const noexcept { return where_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  std::string where_;
  std::string hint_;
};

// Throws NotDoneYet. `file` is made relative to the repository root.
[[noreturn]] void todo(const char* file, int line, const char* hint);

// Set by the test main: called once per KATA_TODO reached, before the throw.
using TodoHook = void (*)(const char* file, int line, const std::string& message);
void set_todo_hook(TodoHook hook);

}  // namespace kata

#define KATA_TODO(hint) ::kata::todo(__FILE__, __LINE__, hint)
