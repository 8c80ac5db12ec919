// Chapter 4, exercise 2 — spawn() and ChildProcess: real processes, their
// pipes watched by the loop's poll phase, their exit seen through a pidfd.
// The JavaScript twin of the ordering tests is js/spawn.js. Every test uses
// NoLeaks: no fd left open, no child (running or zombie) left behind.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include "ch4_test_util.hpp"
#include "child_process.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "os_process.hpp"

namespace cp = kata::child_process;
namespace console = kata::console;
using cp::Args;
using ch4::show;
using ch4::str;

class Spawn : public kata::testing::NoLeaks {
 protected:
  ch4::RealLoop rl;
  kata::node::Loop& loop = rl.loop;
  // The test body up to here was the "main script": like Node after the
  // main module, run its nextTicks, then the loop until nothing is left.
  int run_loop() { return loop.run_main([] {}); }
};

namespace {
struct Output {
  std::string out, err;
  std::optional<int> code;
  std::optional<std::string> signal;
  bool closed = false;
};
// Collects everything a child says, until 'close'.
std::shared_ptr<Output> collect(const std::shared_ptr<cp::ChildProcess>& child) {
  auto o = std::make_shared<Output>();
  child->std_out->on("data", [o](const Args& a) { o->out += str(a); });
  child->std_err->on("data", [o](const Args& a) { o->err += str(a); });
  child->on("close", [o](const Args& a) {
    o->code = cp::exit_code_arg(a);
    o->signal = cp::signal_arg(a);
    o->closed = true;
  });
  return o;
}
std::string error_code(const Args& a) {
  try {
    cp::rethrow_error_arg(a);
  } catch (const kata::process::SystemError& e) {
    return e.code;
  } catch (...) {
  }
  return "?";
}
}  // namespace

TEST_F(Spawn, SpawnEventsInNodeOrder) {
  auto child = cp::spawn(loop, "/bin/sh", {"-c", "echo out; sleep 0.1; exit 3"});
  child->on("spawn", [](const Args&) { console::log("spawn"); });
  child->std_out->on("data", [](const Args& a) {
    std::string d = str(a);
    while (!d.empty() && d.back() == '\n') d.pop_back();
    console::log("data " + d);
  });
  child->on("exit", [](const Args& a) { console::log("exit " + show(cp::exit_code_arg(a)) + " " + show(cp::signal_arg(a))); });
  child->on("close", [](const Args& a) { console::log("close " + show(cp::exit_code_arg(a)) + " " + show(cp::signal_arg(a))); });
  run_loop();
  const kata::testing::Lines expected{"spawn", "data out", "exit 3 null", "close 3 null"};
  EXPECT_TRACE(expected);
  EXPECT_EQ(child->exit_code(), 3);
  EXPECT_GT(child->pid().value_or(0), 0);
  // Node, for the same script (plus the next test's lines):
  const auto node = kata::testing::twin_prints("ch4-node-multiprocess/js/spawn.js");
  EXPECT_ORDER(expected, kata::testing::Lines(node.begin(), node.begin() + std::min<size_t>(4, node.size())));
}

TEST_F(Spawn, NonexistentProgramIsAnErrorEventNeverAThrow) {
  std::shared_ptr<cp::ChildProcess> child;
  ASSERT_NO_THROW(child = cp::spawn(loop, "/nonexistent/prog", {"a"}));
  console::log("pid " + (child->pid() ? std::to_string(*child->pid()) : std::string("undefined")));
  child->on("spawn", [](const Args&) { console::log("spawn"); });
  child->on("error", [](const Args& a) {
    try {
      cp::rethrow_error_arg(a);
    } catch (const kata::process::SystemError& e) {
      console::log("error " + e.code + " " + e.syscall + " " + e.what());
    }
  });
  child->on("exit", [](const Args& a) { console::log("exit " + show(cp::exit_code_arg(a)) + " " + show(cp::signal_arg(a))); });
  child->on("close", [](const Args& a) { console::log("close " + show(cp::exit_code_arg(a)) + " " + show(cp::signal_arg(a))); });
  run_loop();
  const kata::testing::Lines expected{"pid undefined", "error ENOENT spawn /nonexistent/prog spawn /nonexistent/prog ENOENT",
                                      "close -2 null"};
  EXPECT_TRACE(expected);
  const auto node = kata::testing::twin_prints("ch4-node-multiprocess/js/spawn.js");
  ASSERT_GE(node.size(), 4u);
  EXPECT_ORDER(expected, kata::testing::Lines(node.begin() + 4, node.end()));
}

// The pattern of docs/ch3-runtime-api.md: a plain loop.run(), no run_main.
// Nothing of a failed child keeps the loop alive, and its 'error' tick used
// to wait for a callback that never came: run() returned, nothing emitted.
TEST_F(Spawn, AFailedSpawnDeliversItsErrorWithAPlainRun) {
  int errors = 0, closes = 0;
  auto child = cp::spawn(loop, "/nonexistent/prog");
  child->on("error", [&](const Args& a) {
    ++errors;
    EXPECT_EQ(error_code(a), "ENOENT");
  });
  child->on("close", [&](const Args&) { ++closes; });
  EXPECT_FALSE(loop.run()) << "nothing is left once the error was delivered";
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(closes, 1);
  loop.run_main([] {});  // later runs deliver nothing more
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(closes, 1);
}

// In Node the 'error' tick runs in order with the other ticks the script
// queued, before any immediate. Twin: js/spawn_error_plain_run.js.
TEST_F(Spawn, AFailedSpawnsErrorKeepsItsPlaceAmongTheTicks) {
  loop.next_tick([] { console::log("tick before"); });
  cp::SpawnOptions inherit;
  inherit.stdio = {cp::Stdio::inherit, cp::Stdio::inherit, cp::Stdio::inherit};
  auto child = cp::spawn(loop, "/nonexistent/prog", {}, inherit);
  child->on("error", [](const Args& a) { console::log("error " + error_code(a)); });
  child->on("close", [](const Args& a) { console::log("close " + show(cp::exit_code_arg(a)) + " " + show(cp::signal_arg(a))); });
  loop.next_tick([] { console::log("tick after"); });
  loop.set_immediate([] { console::log("immediate"); });
  loop.run();
  const kata::testing::Lines expected{"tick before", "error ENOENT", "close -2 null", "tick after", "immediate"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/spawn_error_plain_run.js", expected);
}

TEST_F(Spawn, NotExecutableIsEacces) {
  auto child = cp::spawn(loop, "/etc/passwd");
  std::string code;
  child->on("error", [&](const Args& a) { code = error_code(a); });
  run_loop();
  EXPECT_EQ(code, "EACCES");
  EXPECT_FALSE(child->pid().has_value());
}

TEST_F(Spawn, EmptyFileIsRejectedAtOnce) {
  // Node: ERR_INVALID_ARG_VALUE, thrown by spawn() itself (argument check).
  EXPECT_THROW(cp::spawn(loop, ""), std::invalid_argument);
  EXPECT_FALSE(loop.alive()) << "nothing was started";
}

TEST_F(Spawn, ArgumentsReachTheProgramByteForByte) {
  // No shell: quotes, $, ;, *, spaces, an empty argument and UTF-8 are data.
  const std::vector<std::string> args{"a b", "$HOME", "'single'", "\"double\"", "; rm -rf /", "*", "", "ü", "a\\b"};
  std::vector<std::string> argv{"echo"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto o = collect(cp::spawn(loop, ch4::kHelper, argv));
  run_loop();
  std::string expected;
  for (const auto& a : args) expected += a + "\n";
  EXPECT_EQ(o->out, expected);
  EXPECT_EQ(o->code, 0);
}

TEST_F(Spawn, ProgramIsSearchedInPath) {
  auto o = collect(cp::spawn(loop, "sh", {"-c", "echo found"}));
  run_loop();
  EXPECT_EQ(o->out, "found\n");
}

TEST_F(Spawn, DataEventsArriveAsTheChildWritesThem) {
  // The helper writes a chunk, then waits for our answer on its stdin before
  // the next: each chunk must reach a 'data' listener while the child runs
  // (a blocking read-to-EOF would never answer, and the watchdog would fire).
  auto child = cp::spawn(loop, ch4::kHelper, {"ping", "3"});
  int seen = 0;
  child->std_out->on("data", [&](const Args& a) {
    console::log("data " + str(a));
    if (++seen < 3) {
      child->std_in->write("next\n");
    } else {
      child->std_in->end();
    }
  });
  child->on("exit", [](const Args&) { console::log("exit"); });
  run_loop();
  EXPECT_TRACE({"data chunk 1\n", "data chunk 2\n", "data chunk 3\n", "exit"});
}

TEST_F(Spawn, TheLoopKeepsRunningWhileAChildRuns) {
  auto child = cp::spawn(loop, ch4::kHelper, {"sleep", "200"});
  auto tick = loop.set_interval([] { console::log("tick"); }, 20);
  child->on("exit", [&](const Args&) {
    console::log("exit");
    loop.clear_interval(tick);
  });
  run_loop();
  auto t = kata::trace();
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.back(), "exit");
  EXPECT_GE(std::count(t.begin(), t.end(), "tick"), 2) << "timers must fire while the child runs";
}

TEST_F(Spawn, StdinWriteAndEndReachTheChild) {
  auto child = cp::spawn(loop, ch4::kHelper, {"cat"});
  auto o = collect(child);
  child->std_in->write("hello ");
  child->std_in->end("world");
  run_loop();
  EXPECT_EQ(o->out, "hello world");
  EXPECT_EQ(o->code, 0);
  EXPECT_THROW(child->std_in->write("late"), std::logic_error) << "write after end";
}

TEST_F(Spawn, ALargeStdinIsWrittenAsThePipeDrains) {
  auto child = cp::spawn(loop, ch4::kHelper, {"cat"});
  auto o = collect(child);
  const std::string mib(1 << 20, 'z');
  int drains = 0;
  child->std_in->on("drain", [&](const Args&) { ++drains; });
  EXPECT_FALSE(child->std_in->write(mib)) << "1 MiB is over the high-water mark";
  child->std_in->end();
  run_loop();
  EXPECT_EQ(o->out.size(), mib.size());
  EXPECT_EQ(drains, 1);
}

// Node 20 decides write()'s return value *after* the write attempt
// (writeOrBuffer: `state.length < state.highWaterMark` once `_write` ran), so a
// chunk over 16 KiB that the empty pipe takes at once returns true and no
// 'drain' follows. Twin: js/spawn_write_return.js.
TEST_F(Spawn, WriteReturnsWhatStillWaitsAfterTheWriteAttempt) {
  auto child = cp::spawn(loop, ch4::kHelper, {"cat"});
  auto o = collect(child);
  int drains = 0;
  child->std_in->on("drain", [&](const Args&) { ++drains; });
  EXPECT_TRUE(child->std_in->write(std::string(20 * 1024, 'z'))) << "node: write 20KiB true";
  EXPECT_EQ(child->std_in->writable_length(), 0u) << "node: writableLength 0";
  child->std_in->end();
  run_loop();
  EXPECT_EQ(o->out.size(), 20u * 1024) << "node: close 0 out 20480";
  EXPECT_EQ(o->code, 0);
  EXPECT_EQ(drains, 0);
}

TEST_F(Spawn, KillEndsTheChildWithASignal) {
  auto child = cp::spawn(loop, ch4::kHelper, {"sleep", "5000"});
  auto o = collect(child);
  child->on("spawn", [&](const Args&) { EXPECT_TRUE(child->kill()); });
  run_loop();
  EXPECT_TRUE(child->killed());
  EXPECT_EQ(o->code, std::nullopt);
  EXPECT_EQ(o->signal, "SIGTERM");
  EXPECT_EQ(child->signal_code(), "SIGTERM");
  EXPECT_FALSE(child->kill()) << "after exit, kill() reports false";
  EXPECT_THROW(child->kill("SIGNOPE"), kata::process::UnknownSignal);
}

TEST_F(Spawn, ExitCodeAndDeathBySignalAreTold) {
  auto coded = collect(cp::spawn(loop, ch4::kHelper, {"exit", "7", "bye\n"}));
  auto killed = collect(cp::spawn(loop, ch4::kHelper, {"die", std::to_string(SIGKILL)}));
  run_loop();
  EXPECT_EQ(coded->code, 7);
  EXPECT_EQ(coded->err, "bye\n");
  EXPECT_EQ(killed->code, std::nullopt) << "SIGKILL is a signal, not exit(9)";
  EXPECT_EQ(killed->signal, "SIGKILL");
}

TEST_F(Spawn, CwdAndEnvOptions) {
  cp::SpawnOptions in_tmp;
  in_tmp.cwd = "/tmp";
  cp::SpawnOptions with_env;
  with_env.env = std::map<std::string, std::string>{{"KATA_ONLY", "yes"}};
  auto cwd = collect(cp::spawn(loop, ch4::kHelper, {"cwd"}, in_tmp));
  auto env = collect(cp::spawn(loop, ch4::kHelper, {"env", "KATA_ONLY"}, with_env));
  auto home = collect(cp::spawn(loop, ch4::kHelper, {"env", "HOME"}, with_env));
  run_loop();
  EXPECT_EQ(cwd->out, "/tmp\n");
  EXPECT_EQ(env->out, "yes\n");
  EXPECT_EQ(home->out, "(unset)\n") << "env replaces the whole environment";
}

TEST_F(Spawn, AMissingCwdIsAnErrorEvent) {
  cp::SpawnOptions opts;
  opts.cwd = "/nonexistent-kata-dir";
  auto child = cp::spawn(loop, ch4::kHelper, {"cwd"}, opts);
  std::string code;
  child->on("error", [&](const Args& a) { code = error_code(a); });
  run_loop();
  EXPECT_EQ(code, "ENOENT");
}

TEST_F(Spawn, ChildStartsCleanDefaultSignalsAndNoInheritedFds) {
  // The test main ignores SIGPIPE, and ignored signals survive exec; a pipe
  // without O_CLOEXEC would survive too. The child must see neither.
  int stray[2];
  ASSERT_EQ(::pipe(stray), 0);  // deliberately not CLOEXEC
  auto sig = collect(cp::spawn(loop, ch4::kHelper, {"sigstate"}));
  auto fds = collect(cp::spawn(loop, ch4::kHelper, {"fds"}));
  run_loop();
  ::close(stray[0]);
  ::close(stray[1]);
  EXPECT_EQ(sig->out, "SIGPIPE=default mask=empty\n");
  EXPECT_EQ(fds->out, "fds: \n");
}

TEST_F(Spawn, NonUtf8OutputArrivesByteForByte) {
  auto o = collect(cp::spawn(loop, ch4::kHelper, {"bad-utf8"}));
  run_loop();
  EXPECT_EQ(o->out, std::string("\xff\xfe\xc3(\n", 5));
}

TEST_F(Spawn, ManyChildrenAtOnceAllClose) {
  // Pipes of one child must not leak into the next (their EOF would never come).
  std::vector<std::shared_ptr<Output>> outs;
  for (int i = 0; i < 20; ++i) outs.push_back(collect(cp::spawn(loop, ch4::kHelper, {"echo", std::to_string(i)})));
  run_loop();
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(outs[size_t(i)]->closed);
    EXPECT_EQ(outs[size_t(i)]->out, std::to_string(i) + "\n");
  }
}

TEST_F(Spawn, HugeOutputOnBothPipesDoesNotDeadlock) {
  // Reading stdout to EOF before stderr deadlocks when stderr fills: both
  // pipes must be watched at once.
  auto o = collect(cp::spawn(loop, "/bin/sh", {"-c", std::string(ch4::kHelper) + " bytes 300000 err; " +
                                                          ch4::kHelper + " bytes 300000"}));
  run_loop();
  EXPECT_EQ(o->err.size(), 300000u);
  EXPECT_EQ(o->out.size(), 300000u);
}
