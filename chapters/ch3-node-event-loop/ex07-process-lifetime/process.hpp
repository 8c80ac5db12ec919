// kata::node::Process — the part of Node's `process` object that belongs to
// the event loop: its lifetime events and exit code.
//
// Events (Node's names, EventEmitter strings):
//   "beforeExit"        (int code)  the loop ran dry; a listener that schedules
//                                   work makes it run again (not emitted after
//                                   process.exit() or a fatal exception);
//   "exit"              (int code)  the very end: synchronous work only;
//   "uncaughtException" (std::exception_ptr)  an exception escaped a callback.
#pragma once

#include <exception>

#include "event_emitter.hpp"
#include "loop.hpp"

namespace kata::node {

class Process : public kata::events::EventEmitter {
 public:
  explicit Process(Loop& loop) : loop_(loop) {}

  // process.exitCode: what the process exits with when the loop runs dry.
  int exit_code = 0;

  // process.exit(code): the loop stops for good (loop.exit_loop(): no other
  // callback runs; the current C++ function still returns normally), then
  // "exit" is emitted (once).
  void exit(int code);
  // process.exit() without argument: exits with exit_code.
  void exit() { exit(exit_code); }
  // process.exit() was called (or a fatal exception): the loop's flag.
  bool exiting() const { return loop_.exiting(); }

  // An exception escaped a callback (Node's process._fatalException):
  //   with "uncaughtException" listeners → emit it, the loop goes on;
  //   without → exit code 1 ("exit" is emitted with 1);
  //   a listener that throws → exit code 7 (no "exit" event).
  // kata::NotDoneYet is never handled here: it is rethrown.
  void handle_uncaught(std::exception_ptr error);

  // The last error handle_uncaught() reported as fatal (for tests / stderr).
  std::exception_ptr fatal_error() const { return fatal_; }

 private:
  Loop& loop_;
  bool exit_emitted_ = false;
  std::exception_ptr fatal_;
};

}  // namespace kata::node
