// Hidden check of ch2.ex05 (kata/probe.hpp): logs every prediction of
// interview.cpp, line by line. The programs are fixed, so every case (and
// every seed) logs the same; the grader compares it with the reference's.
//
//     ./build/learner/ch2_ex05 --kata-probe --cases 1
#include <string>

#include "interview.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"

namespace {

using kata::interview::Prediction;

void log_prediction(const std::string& name, Prediction (*predict)()) {
  const Prediction lines = predict();
  kata::console::log(name + ": " + std::to_string(lines.size()) + " lines");
  for (std::size_t i = 0; i < lines.size(); ++i)
    kata::console::log("  " + std::to_string(i + 1) + ". " + lines[i]);
}

void one_case(kata::probe::Rng&) {
  log_prediction("interview_1", kata::interview::interview_1);
  log_prediction("interview_2", kata::interview::interview_2);
  log_prediction("script_start", kata::interview::script_start);
  log_prediction("timers_and_promises", kata::interview::timers_and_promises);
  log_prediction("resolved_in_a_timer", kata::interview::resolved_in_a_timer);
  log_prediction("returned_promise", kata::interview::returned_promise);
}

}  // namespace

KATA_PROBE(one_case);
