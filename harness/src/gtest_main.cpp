// The main() of every test binary: GoogleTest plus what makes failures
// readable for a learner —
//  * KATA_TODO reached → the test fails with "not done yet: <file>:<line> — <hint>"
//  * a test that does not finish → the watchdog stops it with what is pending
//  * a crash → one line naming the signal and the test, then the usual death
// Each test runs in its own process under ctest, so a crash or hang fails one
// test only.
#include <gtest/gtest.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "kata/todo.hpp"
#include "watchdog.hpp"

namespace {

thread_local bool g_todo_reported = false;
bool g_any_todo_reported = false;
std::string g_current_test;

void report_todo(const char* file, int line, const std::string& message) {
  if (::testing::UnitTest::GetInstance()->current_test_info() == nullptr) return;
  if (g_any_todo_reported) return;  // one "not done yet" per test is enough
  g_any_todo_reported = true;
  g_todo_reported = true;
  GTEST_MESSAGE_AT_(file, line, message.c_str(), ::testing::TestPartResult::kNonFatalFailure);
}

class KataListener : public ::testing::EmptyTestEventListener {
  void OnTestStart(const ::testing::TestInfo& info) override {
    g_any_todo_reported = false;
    kata::clear_trace();
    kata::virtual_clock().set(0);
    g_current_test = std::string(info.test_suite_name()) + "." + info.name();
    kata::testing::watchdog::arm(g_current_test, kata::testing::watchdog::default_seconds());
  }
  void OnTestEnd(const ::testing::TestInfo&) override { kata::testing::watchdog::disarm(); }
};

void on_crash(int sig) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof buf,
                              "\n\u2717 crash: %s died with signal %d (%s). Only this test fails;"
                              " run it alone under gdb to see where.\n",
                              g_current_test.c_str(), sig, strsignal(sig));
  if (n > 0) (void)!::write(2, buf, size_t(n));
  kata::testing::watchdog::run_cleanups();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void on_terminate() {
  if (auto e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const kata::NotDoneYet& todo) {
      std::fprintf(stderr, "\n\u2717 %s\n  (reached where no exception may escape: std::terminate)\n", todo.what());
    } catch (const std::exception& other) {
      std::fprintf(stderr, "\n\u2717 crash: %s: uncaught exception: %s\n", g_current_test.c_str(), other.what());
    } catch (...) {
      std::fprintf(stderr, "\n\u2717 crash: %s: uncaught non-standard exception\n", g_current_test.c_str());
    }
  }
  std::fflush(stderr);
  kata::testing::watchdog::run_cleanups();
  ::signal(SIGABRT, SIG_DFL);  // already explained above: no second "crash:" line
  std::abort();
}

}  // namespace

int main(int argc, char** argv) {
  // The grader's hidden checks (kata/probe.hpp): no test runs in this mode.
  if (argc > 1 && std::string(argv[1]) == "--kata-probe") return kata::probe::run(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  kata::set_todo_hook(report_todo);
  std::set_terminate(on_terminate);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(sig, on_crash);
  ::signal(SIGPIPE, SIG_IGN);  // a closed pipe is an error return, as in Node
  ::testing::UnitTest::GetInstance()->listeners().Append(new KataListener);
  return RUN_ALL_TESTS();
}
