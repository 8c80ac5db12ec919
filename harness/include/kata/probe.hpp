// kata::probe — hidden checks on inputs nobody saw.
//
// A probe is a small driver beside an exercise's tests
// (tests/<chapter>/probes/exNN_<slug>_probe.cpp). From a seed it generates
// random programs or inputs, runs them through the exercise's API and logs
// what it observes with kata::console::log. The grader runs the same probe
// built from a submission (inside that exercise's test binary) and built
// from the reference (probe_ref_<key>), with seeds only the instructor
// knows, and compares the two outputs line by line itself: a test binary can
// lie about its own tests, but it cannot know what the reference prints for
// a program it has never seen. `kata.py check --probe` does the same for a
// learner, with a fresh seed each time.
//
//     ./build/learner/ch1_ex02 --kata-probe --seed 42 --cases 20
//
// Rules for a probe (docs/grading.md, "Hidden checks"):
//   * everything it prints comes from its Rng: no real time, no addresses,
//     no thread scheduling — the reference must print the same every run;
//   * it exercises only what the README and header require (a behaviour the
//     tests do not fix is not a hidden check);
//   * an exception that escapes a case is logged as "threw" (the message is
//     the implementer's choice) and the next case runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kata::probe {

// splitmix64: tiny, fast, the same numbers on every machine and compiler.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // A number in [0, n) (n > 0).
  int below(int n) { return n <= 0 ? 0 : int(next() % std::uint64_t(n)); }
  // A number in [lo, hi].
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }
  // true with `percent` % probability.
  bool chance(int percent) { return below(100) < percent; }
  template <class T>
  T pick(const std::vector<T>& items) { return items[std::size_t(below(int(items.size())))]; }

 private:
  std::uint64_t state_;
};

// One case: drive the exercise with `rng`, log what happens.
using Body = void (*)(Rng& rng);

// KATA_PROBE(body) registers the probe of this binary (one per exercise).
struct Registration {
  explicit Registration(Body body);
};

// Bytes as a log line shows them: printable ASCII as is, anything else (and
// the backslash) as \xNN; more than `digest_over` bytes as
// "<N bytes, fnv HASH>" (a long output is compared, not printed).
std::string shown(std::string_view bytes, std::size_t digest_over = std::string_view::npos);

// Logs `lines` as "name: N lines" then "  1. line" ... — how the
// predict-the-output probes show a learner's predictions.
void log_lines(const std::string& name, const std::vector<std::string>& lines);

// Runs the registered probe: argv holds --kata-probe [--seed S] [--cases K].
// Writes "case N" and then the case's trace, for every case, to the standard
// output as it was when main() started; whatever the code under test prints
// with std::cout goes to stderr instead, so debugging output never changes
// a verdict. Exit 0; 3 when a KATA_TODO was reached ("not done yet"); 124
// when a case did not finish within 10 s (the watchdog's hang report on
// stderr); 2 for bad arguments; 4 when this binary has no probe.
int run(int argc, char** argv);

}  // namespace kata::probe

#define KATA_PROBE(body) \
  static const ::kata::probe::Registration kata_probe_registration_ { body }
