// Hidden check of ch2.ex05 (kata/probe.hpp): logs every prediction of
// interview.cpp, line by line. The programs are fixed, so every case (and
// every seed) logs the same; the grader compares it with the reference's.
//
//     ./build/learner/ch2_ex05 --kata-probe --cases 1
#include "interview.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"

namespace {

void one_case(kata::probe::Rng&) {
  kata::probe::log_lines("interview_1", kata::interview::interview_1());
  kata::probe::log_lines("interview_2", kata::interview::interview_2());
  kata::probe::log_lines("script_start", kata::interview::script_start());
  kata::probe::log_lines("timers_and_promises", kata::interview::timers_and_promises());
  kata::probe::log_lines("resolved_in_a_timer", kata::interview::resolved_in_a_timer());
  kata::probe::log_lines("returned_promise", kata::interview::returned_promise());
}

}  // namespace

KATA_PROBE(one_case);
