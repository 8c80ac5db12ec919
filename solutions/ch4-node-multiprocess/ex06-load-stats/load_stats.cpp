#include "load_stats.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace kata::cluster {

Counts tally(const std::vector<int>& answered_by, const std::vector<int>& workers) {
  Counts counts;
  for (int id : workers) counts[id] = 0;  // idle workers must show up as 0
  for (int id : answered_by) ++counts[id];
  return counts;
}

double max_over_min(const Counts& counts) {
  if (counts.empty()) throw std::invalid_argument("max_over_min: no workers");
  auto [lo, hi] = std::minmax_element(counts.begin(), counts.end(),
                                      [](auto& a, auto& b) { return a.second < b.second; });
  if (hi->second == 0) return 1.0;  // nothing served: nothing unfair yet
  if (lo->second == 0) return std::numeric_limits<double>::infinity();
  return double(hi->second) / double(lo->second);
}

double jain_index(const Counts& counts) {
  if (counts.empty()) throw std::invalid_argument("jain_index: no workers");
  // long double: Σx² of a million requests on one worker is 1e12, fine, but
  // keep the squares exact well beyond that.
  long double sum = 0, sum_sq = 0;
  for (auto& [id, x] : counts) {
    sum += x;
    sum_sq += (long double)x * x;
  }
  if (sum_sq == 0) return 1.0;
  return double(sum * sum / ((long double)counts.size() * sum_sq));
}

LoadSummary summarize(const Counts& counts) {
  if (counts.empty()) throw std::invalid_argument("summarize: no workers");
  LoadSummary s;
  s.workers = counts.size();
  s.min = std::numeric_limits<std::uint64_t>::max();
  for (auto& [id, x] : counts) {
    s.total += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.max_over_min = max_over_min(counts);
  s.jain = jain_index(counts);
  return s;
}

std::string to_json(const Counts& counts) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (auto& [id, x] : counts) j[std::to_string(id)] = x;
  return j.dump();
}

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
