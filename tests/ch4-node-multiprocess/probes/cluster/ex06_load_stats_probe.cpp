// Hidden check of ch4.ex06 (kata/probe.hpp): random "who answered" lists and
// random count tables — idle workers, one worker taking everything, all zero,
// counts in the billions — through tally, max_over_min, jain_index, summarize
// and to_json (read back with from_json). Doubles are logged to 9 significant
// digits: summing in long double or double must not change a line.
//
//     ./build/learner/ch4_ex06 --kata-probe --seed 7 --cases 3
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "load_stats.hpp"

namespace {

namespace cl = kata::cluster;
using kata::console::log;
using kata::probe::Rng;

std::string num(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

std::string show(const cl::Counts& c) {
  std::string out = "{";
  for (auto& [id, x] : c) out += (out.size() > 1 ? " " : "") + std::to_string(id) + ":" + std::to_string(x);
  return out + "}";
}

// Distinct worker ids, some past 9 so that id order is not text order.
std::vector<int> worker_ids(Rng& rng, int n) {
  std::vector<int> ids;
  while (int(ids.size()) < n) {
    const int id = rng.chance(70) ? rng.between(1, 12) : rng.between(10, 120);
    bool seen = false;
    for (int x : ids) seen = seen || x == id;
    if (!seen) ids.push_back(id);
  }
  return ids;
}

// Every function on one table; each call logged on its own, so one that
// throws (wrongly or rightly) does not hide the others.
void measure(const cl::Counts& c) {
  log("counts " + show(c));
  try {
    log("max/min " + num(cl::max_over_min(c)));
  } catch (const std::invalid_argument&) {
    log("max/min invalid_argument");
  }
  try {
    log("jain " + num(cl::jain_index(c)));
  } catch (const std::invalid_argument&) {
    log("jain invalid_argument");
  }
  try {
    const cl::LoadSummary s = cl::summarize(c);
    log("summary workers=" + std::to_string(s.workers) + " total=" + std::to_string(s.total) +
        " min=" + std::to_string(s.min) + " max=" + std::to_string(s.max) +
        " max/min=" + num(s.max_over_min) + " jain=" + num(s.jain));
  } catch (const std::invalid_argument&) {
    log("summary invalid_argument");
  }
  if (c.empty()) return;
  const std::string json = cl::to_json(c);
  log("json " + json);
  try {
    log(std::string("read back ") + (cl::from_json(json) == c ? "same" : "different"));
  } catch (const std::invalid_argument&) {
    log("read back invalid_argument");
  }
}

void one_case(Rng& rng) {
  const int kind = rng.below(6);
  if (kind <= 2) {
    // Answers drawn from a skewed subset of the running workers: some stay idle.
    const int n = rng.between(1, 7);
    std::vector<int> workers = worker_ids(rng, n);
    std::vector<int> busy;
    for (int id : workers)
      if (rng.chance(kind == 0 ? 40 : 85)) busy.push_back(id);
    std::vector<int> answers;
    const int total = busy.empty() ? 0 : rng.pick<int>({0, 1, 3, 10, 40, 200});
    for (int i = 0; i < total; ++i) {
      // Weighted: the first busy worker wins more often (the kernel's LIFO wakeups).
      const int k = rng.chance(30) ? 0 : rng.below(int(busy.size()));
      answers.push_back(busy[std::size_t(k)]);
    }
    std::string listed = "tally workers";
    for (int id : workers) listed += " " + std::to_string(id);
    listed += " answers " + std::to_string(answers.size());
    log(listed);
    measure(cl::tally(answers, workers));
  } else if (kind == 3) {
    // A table built by hand: equal, one-takes-all, all zero or empty.
    const int n = rng.between(0, 6);
    const std::vector<int> ids = worker_ids(rng, n);
    const int shape = rng.below(3);
    const std::uint64_t x = rng.pick<std::uint64_t>({1, 7, 250, 1000});
    cl::Counts c;
    for (std::size_t i = 0; i < ids.size(); ++i)
      c[ids[i]] = shape == 0 ? x : shape == 1 ? (i == 0 ? x : 0) : 0;
    measure(c);
  } else {
    // Big counts: Σx² passes 2^64.
    const int n = rng.between(1, 5);
    const std::vector<int> ids = worker_ids(rng, n);
    cl::Counts c;
    for (int id : ids) {
      const std::uint64_t base = rng.pick<std::uint64_t>({4'000'000'000ull, 9'000'000'000ull, 123'456'789'012ull});
      c[id] = rng.chance(15) ? 0 : base + std::uint64_t(rng.below(1000));
    }
    measure(c);
  }
}

}  // namespace

KATA_PROBE(one_case);
