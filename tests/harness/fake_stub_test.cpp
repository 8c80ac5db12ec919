// A stub that breaks every rule a stub must keep, plus one test that keeps
// them: `kata.py check-stub` must pass the good test and name each offender.
// Not a normal test binary: check_tools.py runs check-stub on it.
#include <string>

#include "kata/testing.hpp"
#include "kata/todo.hpp"

namespace {
volatile bool g_forever = true;
volatile int* volatile g_null = nullptr;
int stubbed() { KATA_TODO("fake stub: the one well-behaved test"); }
}  // namespace

TEST(FakeStub, ReachesTodo) { EXPECT_EQ(stubbed(), 1); }
TEST(FakeStub, PassesByAccident) { SUCCEED(); }
TEST(FakeStub, WrongAnswerWithoutTodo) { EXPECT_EQ(1 + 1, 3); }
TEST(FakeStub, Crashes) { *g_null = 1; }
TEST(FakeStub, Hangs) {
  kata::testing::set_watchdog_seconds(1);  // keep the self-test short
  while (g_forever) {
  }
}
