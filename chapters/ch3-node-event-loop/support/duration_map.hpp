// DurationMap<V>: Timers' map from a duration (ms) to its list (timerListMap).
// You need not read it: it behaves like a std::unordered_map<std::int64_t, V>.
// It exists for speed: most programs use a few durations, so a small cache of
// the entries used lately (by msecs % 64) answers most look-ups without a hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace kata::node {

template <class V>
class DurationMap {
 public:
  // The value for msecs, a V{} added when there is none (as unordered_map).
  V& operator[](std::int64_t msecs) {
    Recent& r = recent(msecs);
    if (r.value != nullptr && r.msecs == msecs) [[likely]] return *r.value;
    V& v = map_[msecs];
    r = Recent{msecs, &v};  // map nodes never move: the address stays valid
    return v;
  }
  // The value for msecs, or nullptr when there is none.
  V* find(std::int64_t msecs) {
    Recent& r = recent(msecs);
    if (r.value != nullptr && r.msecs == msecs) [[likely]] return r.value;
    auto it = map_.find(msecs);
    if (it == map_.end()) return nullptr;
    r = Recent{msecs, &it->second};
    return &it->second;
  }
  void erase(std::int64_t msecs) {
    if (Recent& r = recent(msecs); r.value != nullptr && r.msecs == msecs) r = Recent{};
    map_.erase(msecs);
  }
  bool empty() const { return map_.empty(); }
  std::size_t size() const { return map_.size(); }
  // (msecs, value) pairs, in no particular order.
  auto begin() { return map_.begin(); }
  auto end() { return map_.end(); }
  auto begin() const { return map_.begin(); }
  auto end() const { return map_.end(); }

 private:
  struct Recent {
    std::int64_t msecs = 0;
    V* value = nullptr;  // into map_, or nullptr: no entry
  };
  static constexpr std::size_t kRecent = 64;
  Recent& recent(std::int64_t msecs) { return recent_[std::size_t(msecs) % kRecent]; }
  std::unordered_map<std::int64_t, V> map_;
  Recent recent_[kRecent] = {};
};

}  // namespace kata::node
