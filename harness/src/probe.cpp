// kata::probe::run — see kata/probe.hpp.
#include "kata/probe.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/todo.hpp"
#include "watchdog.hpp"

namespace kata::probe {
namespace {

Body g_body = nullptr;
constexpr double kCaseSeconds = 10.0;
// A KATA_TODO reached, even one the code under test caught itself.
std::string g_todo;

void on_todo(const char*, int, const std::string& message) {
  if (g_todo.empty()) g_todo = message;
}

bool parse_u64(const char* text, std::uint64_t& out) {
  if (text == nullptr || *text == '\0') return false;
  char* end = nullptr;
  out = std::strtoull(text, &end, 10);
  return *end == '\0';
}

// Case i's own seed: the same case of the same seed is the same program,
// whatever ran before it.
std::uint64_t case_seed(std::uint64_t seed, std::uint64_t i) {
  Rng mix(seed ^ (0xd1b54a32d192ed03ULL * (i + 1)));
  return mix.next();
}

void write_line(std::FILE* out, const std::string& line) {
  std::string clean = line;
  for (char& ch : clean)
    if (ch == '\n' || ch == '\r') ch = ' ';
  std::fputs(clean.c_str(), out);
  std::fputc('\n', out);
}

void flush_trace(std::FILE* out) {
  for (const auto& line : kata::trace()) write_line(out, line);
  kata::clear_trace();
  std::fflush(out);
}

}  // namespace

Registration::Registration(Body body) { g_body = body; }

std::string shown(std::string_view bytes, std::size_t digest_over) {
  char buf[64];
  if (bytes.size() > digest_over) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
    std::snprintf(buf, sizeof buf, "<%zu bytes, fnv %016llx>", bytes.size(), static_cast<unsigned long long>(h));
    return buf;
  }
  std::string out;
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += char(c);
    } else {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

void log_lines(const std::string& name, const std::vector<std::string>& lines) {
  kata::console::log(name + ": " + std::to_string(lines.size()) + " lines");
  for (std::size_t i = 0; i < lines.size(); ++i) kata::console::log("  " + std::to_string(i + 1) + ". " + lines[i]);
}

int run(int argc, char** argv) {
  std::uint64_t seed = 1;
  std::uint64_t cases = 20;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--seed" && has_value && parse_u64(argv[i + 1], seed)) {
      ++i;
    } else if (arg == "--cases" && has_value && parse_u64(argv[i + 1], cases) && cases <= 100000) {
      ++i;
    } else {
      std::fprintf(stderr, "probe: usage: %s --kata-probe [--seed N] [--cases K (<= 100000)]\n", argv[0]);
      return 2;
    }
  }
  if (g_body == nullptr) {
    std::fprintf(stderr, "probe: this binary has no probe\n");
    return 4;
  }
  // Results go to the standard output main() was given; the code under
  // test's own printing goes to stderr from here on.
  std::fflush(stdout);
  const int fd = ::dup(1);
  std::FILE* out = fd >= 0 ? ::fdopen(fd, "w") : nullptr;
  if (out == nullptr || ::dup2(2, 1) < 0) {
    std::perror("probe: cannot set up its output");
    return 2;
  }
  kata::set_todo_hook(on_todo);
  for (std::uint64_t i = 0; i < cases; ++i) {
    kata::clear_trace();
    kata::virtual_clock().set(0);
    write_line(out, "case " + std::to_string(i));
    Rng rng(case_seed(seed, i));
    // A case takes milliseconds; one that hangs is reported like a hung test
    // ("hang: probe case N", exit 124), not left to the grader's wall clock.
    kata::testing::watchdog::arm("probe case " + std::to_string(i), kCaseSeconds);
    try {
      g_body(rng);
    } catch (...) {
      if (g_todo.empty()) kata::console::log("threw");
    }
    kata::testing::watchdog::disarm();
    flush_trace(out);
    if (!g_todo.empty()) {
      std::fprintf(stderr, "%s\n", g_todo.c_str());
      write_line(out, "not done yet");
      std::fclose(out);
      return 3;
    }
  }
  std::fclose(out);
  return 0;
}

}  // namespace kata::probe
