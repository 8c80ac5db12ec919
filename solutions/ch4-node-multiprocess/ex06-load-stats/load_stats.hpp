// How evenly did the cluster spread the connections?
//
// The seed's complaint about the first multi-process model is that "the load
// between workers is very uneven" (负载非常不均衡). To check a claim like that
// we need numbers: how many requests each worker answered, and two summaries
// of those counts —
//   * max/min: 1.0 is perfect; the cluster docs' "70% of connections in two
//     processes out of eight" is a max/min in the tens;
//   * Jain's fairness index (Σx)² / (n·Σx²): 1.0 when all are equal, 1/n when
//     one worker got everything. Unlike max/min it stays finite when a worker
//     got nothing, so it can always be reported.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kata::cluster {

// Requests answered, by worker id. A worker that answered nothing must still
// be listed (with 0): leaving it out would hide the worst imbalance.
using Counts = std::map<int, std::uint64_t>;

struct LoadSummary {
  std::size_t workers = 0;
  std::uint64_t total = 0;
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  double max_over_min = 1.0;  // +infinity when some worker got 0 and another more
  double jain = 1.0;          // in [1/n, 1]
};

// Counts the answers: each element is the id of the worker that answered one request.
// `workers` lists every worker that was running, so the idle ones appear with 0.
Counts tally(const std::vector<int>& answered_by, const std::vector<int>& workers);

// max/min of the counts; 1.0 when all are zero; +infinity when min is 0 and max is not.
double max_over_min(const Counts& counts);

// Jain's fairness index; 1.0 when all are zero. Throws std::invalid_argument when empty.
double jain_index(const Counts& counts);

// All of the above at once. Throws std::invalid_argument when `counts` is empty.
LoadSummary summarize(const Counts& counts);

// The primary's report at exit: {"1":500,"2":499} (ids as JSON object keys).
std::string to_json(const Counts& counts);
// Reads to_json's output back (what a test or the lab script does with the report).
// Throws std::invalid_argument on anything else.
Counts from_json(std::string_view json);

}  // namespace kata::cluster
