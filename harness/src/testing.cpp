#include "kata/testing.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "todo_count.hpp"
#include "watchdog.hpp"

namespace kata::testing {
namespace {

// Longest-common-subsequence diff; traces in tests are short (< 2000 lines).
std::vector<std::string> lcs_diff(const Lines& a, const Lines& b) {
  const size_t n = a.size(), m = b.size();
  if (n * m > 4'000'000) {  // too big for a table: report line by line
    std::vector<std::string> out;
    for (size_t i = 0; i < std::max(n, m); ++i) {
      if (i < n && i < m && a[i] == b[i]) { out.push_back("    " + a[i]); continue; }
      if (i < n) out.push_back("  - " + a[i]);
      if (i < m) out.push_back("  + " + b[i]);
    }
    return out;
  }
  std::vector<std::vector<unsigned>> len(n + 1, std::vector<unsigned>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      len[i][j] = a[i] == b[j] ? len[i + 1][j + 1] + 1 : std::max(len[i + 1][j], len[i][j + 1]);
  std::vector<std::string> out;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.push_back("    " + a[i]); ++i; ++j;
    } else if (j < m && (i == n || len[i][j + 1] > len[i + 1][j])) {
      out.push_back("  + " + b[j++]);
    } else {
      out.push_back("  - " + a[i++]);
    }
  }
  return out;
}

std::string numbered(const Lines& lines, size_t limit) {
  std::ostringstream os;
  if (lines.empty()) os << "      (nothing)\n";
  for (size_t i = 0; i < lines.size() && i < limit; ++i)
    os << "    " << (i + 1 < 10 ? " " : "") << i + 1 << "  " << lines[i] << "\n";
  if (lines.size() > limit) os << "      ... " << lines.size() - limit << " more\n";
  return os.str();
}

}  // namespace

std::string order_diff(const Lines& expected, const Lines& actual) {
  size_t first = 0;
  while (first < expected.size() && first < actual.size() && expected[first] == actual[first]) ++first;
  std::ostringstream os;
  os << "order differs at event " << first + 1 << " (expected " << expected.size()
     << " events, got " << actual.size() << ")\n";
  os << "  expected:\n" << numbered(expected, 40);
  os << "  got:\n" << numbered(actual, 40);
  os << "  diff (- expected, + got):\n";
  auto diff = lcs_diff(expected, actual);
  const size_t limit = 60;
  for (size_t k = 0; k < diff.size() && k < limit; ++k) os << diff[k] << "\n";
  if (diff.size() > limit) os << "    ... " << diff.size() - limit << " more lines\n";
  return os.str();
}

::testing::AssertionResult same_order(const Lines& expected, const Lines& actual) {
  if (expected == actual) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\n" << order_diff(expected, actual);
}

std::string tests_path(const std::string& relative) {
  return std::string(KATA_TESTS_DIR) + "/" + relative;
}

Lines twin_prints(const std::string& relative_js) {
  // The block starts at the marker line; each line after it is "// | text"
  // (or "// |" for an empty line). Written by tests/oracle/check_twin.py --record.
  static const std::string marker = "// node prints (";
  std::ifstream in(tests_path(relative_js));
  if (!in) {
    ADD_FAILURE() << "no JavaScript twin tests/" << relative_js;
    return {};
  }
  Lines lines;
  bool in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (!in_block) {
      in_block = line.rfind(marker, 0) == 0;
    } else if (line == "// |") {
      lines.emplace_back();
    } else if (line.rfind("// | ", 0) == 0) {
      lines.push_back(line.substr(5));
    }
  }
  if (!in_block) ADD_FAILURE() << "tests/" << relative_js << " has no '" << marker << "...' block";
  return lines;
}

void describe_pending(std::function<std::string()> describe) {
  watchdog::set_description(std::move(describe));
}
void set_watchdog_seconds(double seconds) { watchdog::set_budget(seconds); }
void at_abort(std::function<void()> cleanup) { watchdog::add_cleanup(std::move(cleanup)); }

std::vector<int> open_fds() {
  std::vector<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  const int own = ::dirfd(dir);
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    const int fd = std::atoi(e->d_name);
    if (fd != own) fds.push_back(fd);
  }
  ::closedir(dir);
  std::sort(fds.begin(), fds.end());
  return fds;
}

std::vector<int> child_pids() {
  std::vector<int> pids;
  const std::string me = std::to_string(::getpid());
  // /proc/<pid>/task/<tid>/children lists children of each thread.
  DIR* tasks = ::opendir(("/proc/" + me + "/task").c_str());
  if (tasks == nullptr) return pids;
  while (dirent* t = ::readdir(tasks)) {
    if (t->d_name[0] == '.') continue;
    std::ifstream in("/proc/" + me + "/task/" + t->d_name + "/children");
    for (int pid; in >> pid;) pids.push_back(pid);
  }
  ::closedir(tasks);
  std::sort(pids.begin(), pids.end());
  return pids;
}

namespace {
unsigned g_todos_at_setup = 0;  // NoLeaks tests run one at a time

void kill_and_reap(const std::vector<int>& pids) {
  for (int pid : pids) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}
}  // namespace

void NoLeaks::SetUp() {
  fds_before_ = open_fds();
  g_todos_at_setup = kata::todo_count();
}

void NoLeaks::TearDown() {
  using namespace std::chrono;
  if (kata::todo_count() != g_todos_at_setup) {
    // The test reached a KATA_TODO: "not done yet" is its result. Its
    // unfinished code may well leave fds open or children running; no
    // second failure for that, and no two seconds of waiting for them. The
    // children still go (nothing is left behind); the fds go with this
    // process (ctest runs each test in its own).
    kill_and_reap(child_pids());
    return;
  }
  const auto deadline = steady_clock::now() + seconds(2);
  std::vector<int> children = child_pids();
  std::vector<int> fds = open_fds();
  auto leaked_fds = [&] {
    std::vector<int> extra;
    std::set_difference(fds.begin(), fds.end(), fds_before_.begin(), fds_before_.end(),
                        std::back_inserter(extra));
    return extra;
  };
  while ((!children.empty() || !leaked_fds().empty()) && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
    children = child_pids();
    fds = open_fds();
  }
  if (!children.empty()) {
    std::ostringstream os;
    for (int pid : children) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      std::getline(stat, line);
      os << "    pid " << pid << ": " << line.substr(0, 60) << "\n";
    }
    kill_and_reap(children);
    ADD_FAILURE() << "left " << children.size()
                  << " child process(es) behind (running or zombie; killed and reaped now):\n" << os.str();
  }
  if (auto extra = leaked_fds(); !extra.empty()) {
    std::ostringstream os;
    for (int fd : extra) {
      char target[256] = {};
      const std::string link = "/proc/self/fd/" + std::to_string(fd);
      const ssize_t len = ::readlink(link.c_str(), target, sizeof target - 1);
      os << "    fd " << fd << " -> " << (len > 0 ? target : "?") << "\n";
    }
    ADD_FAILURE() << "left " << extra.size() << " file descriptor(s) open:\n" << os.str();
  }
}

}  // namespace kata::testing
