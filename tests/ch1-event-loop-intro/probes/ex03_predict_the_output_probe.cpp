// Hidden check of ch1.ex03 (kata/probe.hpp): logs every prediction of
// predictions.cpp, line by line. There is nothing random to generate — the
// programs are fixed — so every case (and every seed) logs the same; the
// grader compares it with the reference's answers.
//
//     ./build/learner/ch1_ex03 --kata-probe --cases 1
#include <string>

#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "predictions.hpp"

namespace {

using kata::predict::Prediction;

void log_prediction(const std::string& name, Prediction (*predict)()) {
  const Prediction lines = predict();
  kata::console::log(name + ": " + std::to_string(lines.size()) + " lines");
  for (std::size_t i = 0; i < lines.size(); ++i)
    kata::console::log("  " + std::to_string(i + 1) + ". " + lines[i]);
}

void one_case(kata::probe::Rng&) {
  log_prediction("seed_snippet", kata::predict::seed_snippet);
  log_prediction("main_first", kata::predict::main_first);
  log_prediction("timers_by_delay", kata::predict::timers_by_delay);
  log_prediction("ping_pong", kata::predict::ping_pong);
  log_prediction("microtask_chain", kata::predict::microtask_chain);
}

}  // namespace

KATA_PROBE(one_case);
