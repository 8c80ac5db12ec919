#include "load_stats.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "kata/todo.hpp"

namespace kata::cluster {

Counts tally(const std::vector<int>& answered_by, const std::vector<int>& workers) {
  (void)answered_by, (void)workers;
  KATA_TODO("start every listed worker at 0, then count one per answer (hint 1)");
}

double max_over_min(const Counts& counts) {
  (void)counts;
  KATA_TODO("max/min of the counts: 1.0 when all are 0, +infinity when only min is 0; empty throws (hint 2)");
}

double jain_index(const Counts& counts) {
  (void)counts;
  KATA_TODO("(Σx)² / (n·Σx²); 1.0 when all are 0; empty throws std::invalid_argument (hint 3)");
}

LoadSummary summarize(const Counts& counts) {
  (void)counts;
  KATA_TODO("fill workers, total, min, max, max_over_min, jain; empty throws (hint 4)");
}

std::string to_json(const Counts& counts) {
  (void)counts;
  KATA_TODO("write {\"<id>\":<count>,...} in id order, e.g. with nlohmann::ordered_json (hint 5)");
}

// Plumbing, already done: reads to_json's output back.
Counts from_json(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) throw std::invalid_argument("from_json: not a JSON object: " + std::string(json));
  Counts counts;
  for (auto& [key, value] : j.items()) {
    std::size_t used = 0;
    int id = 0;
    try {
      id = std::stoi(key, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != key.size() || !value.is_number_unsigned())
      throw std::invalid_argument("from_json: expected {\"<worker id>\": <count>}, got " + std::string(json));
    counts[id] = value.get<std::uint64_t>();
  }
  return counts;
}

}  // namespace kata::cluster
