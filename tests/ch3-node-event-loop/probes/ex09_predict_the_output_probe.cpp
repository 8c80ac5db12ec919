// Hidden check of ch3.ex09 (kata/probe.hpp): the learner's predictions,
// every line of each, as they are (the seed does not matter: there is
// nothing random to predict). The reference's lines are what the seed's
// programs print on the loop, so a prediction that differs is wrong.
//
//     ./build/learner/ch3_ex09 --kata-probe --seed 7 --cases 1
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "predictions.hpp"

namespace {

namespace predict = kata::node::predict;

void one_case(kata::probe::Rng&) {
  kata::probe::log_lines("code1_read_2ms", predict::code1_read_2ms());
  kata::probe::log_lines("code2_read_9ms", predict::code2_read_9ms());
  kata::probe::log_lines("code3_fast_start", predict::code3_fast_start());
  kata::probe::log_lines("code3_slow_start", predict::code3_slow_start());
  kata::probe::log_lines("code3_inside_io", predict::code3_inside_io());
}

}  // namespace

KATA_PROBE(one_case);
