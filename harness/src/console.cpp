#include "kata/console.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {
std::mutex g_mutex;
std::vector<std::string> g_trace;

bool echo_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("KATA_ECHO");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  return on;
}
}  // namespace

namespace kata::console {
void log(std::string_view line) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_trace.emplace_back(line);
  if (echo_enabled()) std::fprintf(stderr, "[trace] %.*s\n", int(line.size()), line.data());
}
}  // namespace kata::console

namespace kata {
std::vector<std::string> trace() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_trace;
}
void clear_trace() {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_trace.clear();
}
}  // namespace kata
