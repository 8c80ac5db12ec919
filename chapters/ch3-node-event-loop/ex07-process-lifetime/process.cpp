// Exercise 7 — the process around the loop: main script, beforeExit, exit,
// uncaught exceptions.
#include "process.hpp"

#include <cstdio>

#include "kata/todo.hpp"
#include "loop.hpp"
#include "task_queues.hpp"  // run_main drains tasks_

namespace kata::node {


void Process::exit(int code) {
  (void)code;
  KATA_TODO("exit: set exit_code; the first time: loop_.exit_loop() (stops the loop for good), emit \"exit\" with the code once (hint 1)");
}

void Process::handle_uncaught(std::exception_ptr error) {
  (void)error;
  KATA_TODO("handle_uncaught: rethrow kata::NotDoneYet; listeners → emit \"uncaughtException\"; a throwing listener → exit code 7 without \"exit\"; no listener → exit(1) (hint 2)");
}

int Loop::run_main(Callback script) {
  (void)script;
  KATA_TODO("run_main: invoke the script, drain ticks/microtasks, let startup_cost_ms pass, then run / beforeExit / run again while alive, finally process.exit(exit_code) (hints 3-4)");
}

}  // namespace kata::node
