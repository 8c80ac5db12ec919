// Exercise 7 — the process around the loop: main script, beforeExit, exit,
// uncaught exceptions.
#include "process.hpp"

#include <cstdio>

#include "kata/todo.hpp"
#include "loop.hpp"
#include "task_queues.hpp"  // run_main drains tasks_

namespace kata::node {

namespace {
std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "(non-standard exception)";
  }
}
}  // namespace

void Process::exit(int code) {
  exit_code = code;
  if (exiting()) return;
  loop_.exit_loop();  // run() returns; invoke() runs nothing any more
  if (!exit_emitted_) {
    exit_emitted_ = true;
    emit("exit", code);
  }
}

void Process::handle_uncaught(std::exception_ptr error) {
  // An unfinished exercise must reach the test, not a listener.
  try {
    std::rethrow_exception(error);
  } catch (const kata::NotDoneYet&) {
    throw;
  } catch (...) {
  }
  if (exiting()) return;
  if (listener_count("uncaughtException") > 0) {
    try {
      emit("uncaughtException", error);
    } catch (const kata::NotDoneYet&) {
      throw;
    } catch (...) {
      // The handler itself threw: Node exits at once with 7, no "exit" event.
      fatal_ = std::current_exception();
      std::fprintf(stderr, "uncaughtException handler threw: %s\n", describe(fatal_).c_str());
      exit_code = 7;
      exit_emitted_ = true;
      loop_.exit_loop();
    }
    return;
  }
  // Nobody listens: print it, and exit with 1 (overriding process.exitCode).
  fatal_ = error;
  std::fprintf(stderr, "Uncaught %s\n", describe(error).c_str());
  exit(1);
}

int Loop::run_main(Callback script) {
  // The main module is the first macrotask: its nextTicks and microtasks run
  // right after it (in both tick modes).
  invoke(script);
  if (tasks_.has_work()) tasks_.process_ticks_and_rejections(*this);
  // Bootstrap work between the script and the first iteration.
  if (!exiting()) clock_.sleep_ms(options_.startup_cost_ms);

  // node::SpinEventLoop
  bool more = false;
  do {
    if (exiting()) break;
    run(RunMode::Default);
    more = alive();
    if (more || exiting()) continue;
    // The loop ran dry: "beforeExit" may schedule more work.
    Callback emit_before_exit = [this] { process_.emit("beforeExit", process_.exit_code); };
    invoke(emit_before_exit);
    if (tasks_.has_work()) tasks_.process_ticks_and_rejections(*this);
    more = alive();
  } while (more && !exiting());

  if (!process_.exiting()) process_.exit(process_.exit_code);
  return process_.exit_code;
}

}  // namespace kata::node
