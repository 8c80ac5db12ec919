// Hidden check of ch1.ex03 (kata/probe.hpp): logs every prediction of
// predictions.cpp, line by line. There is nothing random to generate — the
// programs are fixed — so every case (and every seed) logs the same; the
// grader compares it with the reference's answers.
//
//     ./build/learner/ch1_ex03 --kata-probe --cases 1
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "predictions.hpp"

namespace {

void one_case(kata::probe::Rng&) {
  kata::probe::log_lines("seed_snippet", kata::predict::seed_snippet());
  kata::probe::log_lines("main_first", kata::predict::main_first());
  kata::probe::log_lines("timers_by_delay", kata::predict::timers_by_delay());
  kata::probe::log_lines("ping_pong", kata::predict::ping_pong());
  kata::probe::log_lines("microtask_chain", kata::predict::microtask_chain());
}

}  // namespace

KATA_PROBE(one_case);
