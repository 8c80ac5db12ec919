// What every test shares: order assertions with a readable diff, the node
// oracle, the watchdog's "what is still pending", and leak checks.
// Include from tests only (it pulls in GoogleTest).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "kata/clock.hpp"
#include "kata/console.hpp"

namespace kata::testing {

using Lines = std::vector<std::string>;

// Passes when `actual` equals `expected` line for line; otherwise the
// message shows both, one event per line, with a diff (- expected, + got).
::testing::AssertionResult same_order(const Lines& expected, const Lines& actual);

// Text of the diff used by same_order (exposed for the harness self-tests).
std::string order_diff(const Lines& expected, const Lines& actual);

// --- the JavaScript twins ----------------------------------------------------
// Path of a file under tests/ (the JavaScript twins live beside the tests).
std::string tests_path(const std::string& relative);
// What the twin tests/<relative_js> records that node prints: the lines of
// the `// | ...` block at its end. Whether real node prints exactly that is
// the twin's own test (`ctest -L oracle`, tests/oracle/), so a C++ test never
// needs node. Fails the current test if the file or its block is missing.
Lines twin_prints(const std::string& relative_js);

// --- the watchdog ----------------------------------------------------------
// A test that runs longer than its budget (KATA_WATCHDOG_SECONDS, default 5)
// is stopped with a message naming the test, what `describe` says is still
// pending, and the trace so far. Loops under test register a description.
void describe_pending(std::function<std::string()> describe);
// Gives the running test a larger budget (multi-process tests).
void set_watchdog_seconds(double seconds);
// Called on watchdog expiry or a crash before the process dies: kill children.
void at_abort(std::function<void()> cleanup);

// --- resources ---------------------------------------------------------------
// Open file descriptors of this process (from /proc/self/fd).
std::vector<int> open_fds();
// Child processes of this process that still exist (running or zombie).
std::vector<int> child_pids();

// A fixture that fails the test when it leaves an fd open or a child process
// (running or zombie) behind. Children get up to two seconds to be reaped.
// A test that reached a KATA_TODO is only "not done yet": its children are
// killed and reaped at once, and nothing else is reported.
class NoLeaks : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

 private:
  std::vector<int> fds_before_;
};

}  // namespace kata::testing

// Order checks print only the diff (no "Value of: ... Actual: false" noise)
// and, like gtest's own macros, accept more context: EXPECT_TRACE({...}) << "why".
#define KATA_ORDER_CHECK_(on_failure, expected, actual)                                   \
  switch (0)                                                                              \
  case 0:                                                                                 \
  default:                                                                                \
    if (const ::testing::AssertionResult kata_order_ = ::kata::testing::same_order(expected, actual)) \
      ;                                                                                   \
    else                                                                                  \
      on_failure() << kata_order_.message()

// EXPECT_TRACE({"main", "promise", "setTimeout"}) compares kata::trace().
#define EXPECT_TRACE(...) \
  KATA_ORDER_CHECK_(ADD_FAILURE, ::kata::testing::Lines(__VA_ARGS__), ::kata::trace())
#define ASSERT_TRACE(...) \
  KATA_ORDER_CHECK_(FAIL, ::kata::testing::Lines(__VA_ARGS__), ::kata::trace())
#define EXPECT_ORDER(expected, actual) KATA_ORDER_CHECK_(ADD_FAILURE, (expected), (actual))

// Checks that `expected` is what node prints for the JavaScript twin, as the
// twin records it (its `oracle` test checks the record against real node).
#define EXPECT_NODE_PRINTS(relative_js, expected)                                       \
  do {                                                                                  \
    const ::testing::AssertionResult kata_node_ =                                       \
        ::kata::testing::same_order((expected), ::kata::testing::twin_prints(relative_js)); \
    if (!kata_node_) ADD_FAILURE() << "what node prints for tests/" << (relative_js)    \
                                   << " (its `// |` block, checked by ctest -L oracle):" << kata_node_.message(); \
  } while (0)
