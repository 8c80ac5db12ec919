// Chapter 4, exercise 3 — exec, execFile, execSync: buffered output, Node's
// options (timeout + killSignal, maxBuffer, cwd, env, encoding) and Node's
// errors. Twins: js/exec_*.js. Every test uses NoLeaks.
#include <signal.h>

#include <chrono>

#include "ch4_test_util.hpp"
#include "child_process.hpp"
#include "exec.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "os_process.hpp"

namespace cp = kata::child_process;
namespace console = kata::console;
using cp::Args;
using ch4::show;

class Exec : public kata::testing::NoLeaks {
 protected:
  ch4::RealLoop rl;
  kata::node::Loop& loop = rl.loop;
  // The test body up to here was the "main script": run its nextTicks, then
  // the loop until nothing is left (Node after the main module).
  int run_loop() { return loop.run_main([] {}); }
};

namespace {
// What a callback received.
struct Result {
  bool called = false;
  std::optional<cp::ExecError> error;
  std::string out, err;
};
cp::ExecCallback into(std::shared_ptr<Result> r) {
  return [r](const cp::ExecError* e, const std::string& out, const std::string& err) {
    EXPECT_FALSE(r->called) << "the callback runs once";
    r->called = true;
    if (e) r->error = *e;
    r->out = out;
    r->err = err;
  };
}
std::string quoted(const std::string& s) {  // JSON.stringify for the strings used here
  std::string q = "\"";
  for (char c : s) q += c == '\n' ? std::string("\\n") : c == '"' ? std::string("\\\"") : std::string(1, c);
  return q + "\"";
}
std::string show(const std::optional<bool>& b) { return b ? (*b ? "true" : "false") : "undefined"; }
}  // namespace

TEST_F(Exec, ExecRunsTheCommandThroughTheShell) {
  auto r = std::make_shared<Result>();
  cp::exec(loop, "echo $((1+2)) | tr 3 x; echo err >&2", {}, into(r));
  run_loop();
  ASSERT_TRUE(r->called);
  EXPECT_FALSE(r->error) << r->error->what();
  EXPECT_EQ(r->out, "x\n");
  EXPECT_EQ(r->err, "err\n");
}

TEST_F(Exec, ShellMetacharactersInExecMeanWhatTheShellSays) {
  // exec is /bin/sh -c: quotes group, $(( )) computes, an unmatched glob stays.
  auto r = std::make_shared<Result>();
  cp::exec(loop, "echo 'a  b' \"c  d\" $((2*3)) /nonexistent-kata/*.x; echo second", {}, into(r));
  run_loop();
  EXPECT_EQ(r->out, "a  b c  d 6 /nonexistent-kata/*.x\nsecond\n");
}

TEST_F(Exec, FailureCarriesNodesErrorFields) {
  auto r = std::make_shared<Result>();
  cp::exec(loop, "echo hi >&2; exit 3", {}, [r](const cp::ExecError* e, const std::string& out, const std::string& err) {
    r->called = true;
    ASSERT_NE(e, nullptr);
    console::log(quoted(e->what()));
    console::log("code=" + e->code_text() + " killed=" + show(e->killed) + " signal=" + e->signal_text() + " cmd=" + e->cmd);
    console::log("stdout=" + quoted(out) + " stderr=" + quoted(err));
  });
  run_loop();
  const kata::testing::Lines expected{"\"Command failed: echo hi >&2; exit 3\\nhi\\n\"",
                                      "code=3 killed=false signal=null cmd=echo hi >&2; exit 3",
                                      "stdout=\"\" stderr=\"hi\\n\""};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/exec_failure.js", expected);
}

TEST_F(Exec, ExecReturnsTheChildProcessWithItsEvents) {
  // The seed's second example: exec() also returns the ChildProcess, whose
  // stdout streams as it comes; the callback runs before the caller's 'close'.
  auto child = cp::exec(loop, "echo hi", {}, [](const cp::ExecError* e, const std::string& out, const std::string&) {
    console::log(std::string("callback ") + (e ? "error" : "null") + " " + out.substr(0, out.size() - 1));
  });
  child->std_out->on("data", [](const Args& a) {
    const std::string d = ch4::str(a);
    console::log("data " + d.substr(0, d.size() - 1));
  });
  child->on("exit", [](const Args& a) { console::log("exit " + show(cp::exit_code_arg(a))); });
  child->on("close", [](const Args& a) { console::log("close " + show(cp::exit_code_arg(a))); });
  run_loop();
  const kata::testing::Lines expected{"data hi", "exit 0", "callback null hi", "close 0"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/exec_events.js", expected);
}

TEST_F(Exec, ExecFileHasNoShellArgumentsAreData) {
  auto r = std::make_shared<Result>();
  cp::exec_file(loop, ch4::kHelper, {"echo", "$HOME", "a;b", "`id`", "'q'", "x|y", "*"}, {}, into(r));
  run_loop();
  EXPECT_FALSE(r->error);
  EXPECT_EQ(r->out, "$HOME\na;b\n`id`\n'q'\nx|y\n*\n");
}

TEST_F(Exec, AMissingProgramIsAnErrorThroughTheCallback) {
  auto r = std::make_shared<Result>();
  ASSERT_NO_THROW(cp::exec_file(loop, "/nonexistent/x", {"a"}, {}, into(r)));
  run_loop();
  ASSERT_TRUE(r->called);
  ASSERT_TRUE(r->error);
  EXPECT_EQ(r->error->code_text(), "ENOENT");
  EXPECT_EQ(std::string(r->error->what()), "spawn /nonexistent/x ENOENT");
  EXPECT_EQ(r->error->cmd, "/nonexistent/x a");
  EXPECT_EQ(r->out, "");
}

TEST_F(Exec, ANonExecutableFileIsEaccesThroughTheCallback) {
  auto r = std::make_shared<Result>();
  cp::exec_file(loop, "/etc/passwd", {}, {}, into(r));
  run_loop();
  ASSERT_TRUE(r->error);
  EXPECT_EQ(r->error->code_text(), "EACCES");
}

TEST_F(Exec, AMissingCommandInExecIsExit127FromTheShell) {
  auto r = std::make_shared<Result>();
  cp::exec(loop, "nonexistent-kata-command", {}, into(r));
  run_loop();
  ASSERT_TRUE(r->error);
  EXPECT_EQ(r->error->code, 127);
  EXPECT_NE(r->err.find("not found"), std::string::npos) << r->err;
}

TEST_F(Exec, AnEmptyCommandIsRejectedAtOnce) {
  auto r = std::make_shared<Result>();
  EXPECT_THROW(cp::exec(loop, "", {}, into(r)), std::invalid_argument);
  EXPECT_THROW(cp::exec_file(loop, "", {}, {}, into(r)), std::invalid_argument);
  EXPECT_THROW(cp::exec_sync(""), std::invalid_argument);
  run_loop();
  EXPECT_FALSE(r->called);
}

TEST_F(Exec, OutputOverMaxBufferIsTruncatedAndTheChildKilled) {
  auto r = std::make_shared<Result>();
  std::shared_ptr<cp::ChildProcess> child;
  child = cp::exec_file(loop, ch4::kHelper, {"bytes", "3000000"}, {},
                        [&child](const cp::ExecError* e, const std::string& out, const std::string&) {
                          ASSERT_NE(e, nullptr);
                          console::log("code=" + e->code_text() + " message=" + e->what() + " killed=" +
                                       show(e->killed) + " signal=" + e->signal_text());
                          console::log("stdout bytes=" + std::to_string(out.size()));
                          // How it ended is a race in Node (killSignal, SIGPIPE, or an
                          // EPIPE exit, as the pipe closes first there): only "it ended".
                          console::log(std::string("child exited=") + (child->exited() ? "true" : "false"));
                          EXPECT_EQ(child->signal_code(), "SIGTERM") << "ours signals before closing the pipe";
                        });
  run_loop();
  const kata::testing::Lines expected{
      "code=ERR_CHILD_PROCESS_STDIO_MAXBUFFER message=stdout maxBuffer length exceeded killed=undefined signal=undefined",
      "stdout bytes=1048576", "child exited=true"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/exec_max_buffer.js", expected);
}

TEST_F(Exec, MaxBufferAppliesToStderrToo) {
  auto r = std::make_shared<Result>();
  cp::ExecOptions opts;
  opts.max_buffer = 100;
  cp::exec_file(loop, ch4::kHelper, {"bytes", "100000", "err"}, opts, into(r));
  run_loop();
  ASSERT_TRUE(r->error);
  EXPECT_EQ(std::string(r->error->what()), "stderr maxBuffer length exceeded");
  EXPECT_EQ(r->err.size(), 100u);
}

TEST_F(Exec, TimeoutKillsWithTheKillSignal) {
  auto term = std::make_shared<Result>();
  auto kill = std::make_shared<Result>();
  cp::ExecOptions opts;
  opts.timeout_ms = 100;
  cp::exec_file(loop, ch4::kHelper, {"sleep", "5000"}, opts, into(term));
  opts.kill_signal = "SIGKILL";
  cp::exec_file(loop, ch4::kHelper, {"sleep", "5000"}, opts, into(kill));
  run_loop();
  ASSERT_TRUE(term->error);
  EXPECT_EQ(term->error->killed, true);
  EXPECT_EQ(term->error->signal, "SIGTERM");
  EXPECT_EQ(term->error->code, std::nullopt);
  ASSERT_TRUE(kill->error);
  EXPECT_EQ(kill->error->signal, "SIGKILL");
}

TEST_F(Exec, AChildIgnoringSigtermOutlivesTheTimeout) {
  // Node sends killSignal once and waits: the callback comes only when the
  // child really exits. Here the test finishes it with SIGKILL.
  std::shared_ptr<cp::ChildProcess> child;
  cp::ExecOptions opts;
  opts.timeout_ms = 300;  // time for the helper to start ignoring SIGTERM, even on a loaded machine
  child = cp::exec_file(loop, ch4::kHelper, {"ignore-term"}, opts, [](const cp::ExecError* e, const std::string&, const std::string&) {
    ASSERT_NE(e, nullptr);
    console::log("callback killed=" + show(e->killed) + " signal=" + e->signal_text() + " code=" + e->code_text());
  });
  loop.set_timeout([&] {
    console::log(std::string("still running ") + (!child->exited() ? "true" : "false"));
    child->kill("SIGKILL");
  }, 900);
  run_loop();
  const kata::testing::Lines expected{"still running true", "callback killed=true signal=SIGKILL code=null"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/exec_ignore_term.js", expected);
}

TEST_F(Exec, CwdAndEnvOptions) {
  auto cwd = std::make_shared<Result>();
  auto env = std::make_shared<Result>();
  cp::ExecOptions in_tmp;
  in_tmp.cwd = "/tmp";
  cp::exec(loop, "pwd", in_tmp, into(cwd));
  cp::ExecOptions with_env;
  with_env.env = std::map<std::string, std::string>{{"KATA_V", "42"}};
  cp::exec(loop, "echo $KATA_V", with_env, into(env));
  run_loop();
  EXPECT_EQ(cwd->out, "/tmp\n");
  EXPECT_EQ(env->out, "42\n");
}

TEST_F(Exec, AMissingCwdIsAnErrorThroughTheCallback) {
  auto r = std::make_shared<Result>();
  cp::ExecOptions opts;
  opts.cwd = "/nonexistent-kata-dir";
  cp::exec(loop, "echo a", opts, into(r));
  run_loop();
  ASSERT_TRUE(r->error);
  EXPECT_EQ(r->error->code_text(), "ENOENT");
  EXPECT_EQ(std::string(r->error->what()), "spawn /bin/sh ENOENT");
}

TEST_F(Exec, NonUtf8OutputIsDecodedLikeNode) {
  auto text = std::make_shared<Result>();
  auto bytes = std::make_shared<Result>();
  cp::exec_file(loop, ch4::kHelper, {"bad-utf8"}, {}, into(text));
  cp::ExecOptions raw;
  raw.encoding = "buffer";
  cp::exec_file(loop, ch4::kHelper, {"bad-utf8"}, raw, into(bytes));
  run_loop();
  // Node (js/exec_non_utf8.js): "\ufffd\ufffd\ufffd(\n", and the raw bytes fffec3280a.
  EXPECT_EQ(text->out, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD(\n");
  EXPECT_EQ(bytes->out, std::string("\xff\xfe\xc3(\n", 5));
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/exec_non_utf8.js",
                     (kata::testing::Lines{"\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD(\\n\"", "fffec3280a"}));
}

TEST_F(Exec, Utf8LossyKeepsValidTextAndReplacesMaximalSubparts) {
  EXPECT_EQ(cp::utf8_lossy("héllo 日本 🎉"), "héllo 日本 🎉");
  EXPECT_EQ(cp::utf8_lossy("\xe6\x97"), "\xEF\xBF\xBD") << "a cut character is one U+FFFD";
  EXPECT_EQ(cp::utf8_lossy("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "a surrogate is 3";
  EXPECT_EQ(cp::utf8_lossy("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "an overlong is 2";
}

TEST_F(Exec, ExecSyncReturnsStdoutAndThrowsOnFailure) {
  EXPECT_EQ(cp::exec_sync("echo sync"), "sync\n");
  try {
    cp::exec_sync("echo oops >&2; exit 4");
    FAIL() << "a non-zero exit must throw";
  } catch (const cp::ExecError& e) {
    EXPECT_EQ(e.code, 4);
    EXPECT_EQ(std::string(e.what()), "Command failed: echo oops >&2; exit 4\noops\n");
    EXPECT_EQ(e.stderr_text, "oops\n");
  }
}

TEST_F(Exec, ExecSyncTimeoutAndMaxBuffer) {
  cp::ExecOptions slow;
  slow.timeout_ms = 100;
  try {
    cp::exec_sync(ch4::kHelper + " sleep 5000", slow);
    FAIL() << "the timeout must throw";
  } catch (const cp::ExecError& e) {
    EXPECT_EQ(e.error_code, "ETIMEDOUT");
    EXPECT_EQ(e.signal, "SIGTERM");
  }
  cp::ExecOptions small;
  small.max_buffer = 10;
  try {
    cp::exec_sync(ch4::kHelper + " bytes 100000", small);
    FAIL() << "output over max_buffer must throw";
  } catch (const cp::ExecError& e) {
    EXPECT_EQ(e.error_code, "ERR_CHILD_PROCESS_STDIO_MAXBUFFER");
    EXPECT_EQ(e.stdout_text.size(), 10u);
  }
}

TEST_F(Exec, ExecSyncBlocksTheLoop) {
  // Sync means nothing else runs meanwhile: the timer fires only after.
  loop.set_timeout([] { console::log("timer"); }, 1);
  console::log("before");
  cp::exec_sync("sleep 0.05");
  console::log("after");
  run_loop();
  EXPECT_TRACE({"before", "after", "timer"});
}
