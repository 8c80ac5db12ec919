// Chapter 4, exercise 1 — the process object: argv, env, pid, platform,
// cwd/chdir, kill(pid, signal) and signals as loop events. Its lifetime part
// (exitCode, 'beforeExit', 'exit') is chapter 3's kata::node::Process; the
// signal test shows the two together. Every test uses NoLeaks.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>

#include "ch4_test_util.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "os_process.hpp"

namespace process = kata::process;
namespace console = kata::console;
using kata::events::Args;

class Process : public kata::testing::NoLeaks {};

TEST_F(Process, ArgvIsTheCommandLineByteForByte) {
  // GoogleTest keeps the original argv of main(): the kernel's copy must match.
  EXPECT_EQ(process::argv(), ::testing::internal::GetArgvs());
}

TEST_F(Process, ExecPathIsThisProgram) {
  const std::string path = process::exec_path();
  EXPECT_TRUE(std::filesystem::path(path).is_absolute()) << path;
  EXPECT_TRUE(std::filesystem::equivalent(path, "/proc/self/exe")) << path;
}

TEST_F(Process, PidPpidPlatform) {
  EXPECT_EQ(process::pid(), ::getpid());
  EXPECT_EQ(process::ppid(), ::getppid());
  EXPECT_EQ(process::platform(), "linux");
}

TEST_F(Process, EnvChangesAreSeenByChildrenStartedLater) {
  process::set_env("KATA_CH4_VAR", "a b=c");
  EXPECT_EQ(process::get_env("KATA_CH4_VAR"), "a b=c");
  EXPECT_EQ(process::env().at("KATA_CH4_VAR"), "a b=c");
  EXPECT_EQ(ch4::run_raw({ch4::kHelper, "env", "KATA_CH4_VAR"}).out, "a b=c\n");
  process::unset_env("KATA_CH4_VAR");
  EXPECT_EQ(process::get_env("KATA_CH4_VAR"), std::nullopt);
  EXPECT_EQ(process::env().count("KATA_CH4_VAR"), 0u);
  EXPECT_EQ(ch4::run_raw({ch4::kHelper, "env", "KATA_CH4_VAR"}).out, "(unset)\n");
}

TEST_F(Process, EnvRefusesANameWithEquals) {
  EXPECT_THROW(process::set_env("A=B", "x"), std::invalid_argument);
  EXPECT_THROW(process::set_env("", "x"), std::invalid_argument);
}

TEST_F(Process, ChdirChangesCwd) {
  const std::string before = process::cwd();
  process::chdir("/tmp");
  EXPECT_EQ(process::cwd(), "/tmp");
  process::chdir(before);
  EXPECT_EQ(process::cwd(), before);
}

TEST_F(Process, ChdirToAMissingDirectoryThrowsLikeNode) {
  const std::string before = process::cwd();
  try {
    process::chdir("/nonexistent-kata-dir");
    FAIL() << "chdir to a missing directory must throw";
  } catch (const process::SystemError& e) {
    EXPECT_EQ(e.code, "ENOENT");
    EXPECT_EQ(e.syscall, "chdir");
    EXPECT_EQ(std::string(e.what()),
              "ENOENT: no such file or directory, chdir '" + before + "' -> '/nonexistent-kata-dir'");
  }
  EXPECT_EQ(process::cwd(), before) << "a failed chdir changes nothing";
}

TEST_F(Process, SignalNamesAndNumbers) {
  EXPECT_EQ(process::signal_number("SIGTERM"), SIGTERM);
  EXPECT_EQ(process::signal_number("SIGKILL"), SIGKILL);
  EXPECT_EQ(process::signal_name(SIGUSR2), "SIGUSR2");
  EXPECT_EQ(process::signal_name(0), "");
  try {
    process::signal_number("SIGFOO");
    FAIL() << "an unknown signal name must throw";
  } catch (const process::UnknownSignal& e) {
    EXPECT_EQ(std::string(e.what()), "Unknown signal: SIGFOO");
    EXPECT_EQ(e.code, "ERR_UNKNOWN_SIGNAL");
  }
}

TEST_F(Process, KillSendsTheNamedSignal) {
  const pid_t pid = ch4::start_raw({ch4::kHelper, "sleep", "5000"});
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(process::kill(pid, 0)) << "signal 0: the process exists";
  EXPECT_TRUE(process::kill(pid, "SIGTERM"));
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

TEST_F(Process, KillOfAMissingProcessThrowsEsrch) {
  const pid_t pid = ch4::start_raw({ch4::kHelper, "exit", "0"});
  ASSERT_GT(pid, 0);
  ::waitpid(pid, nullptr, 0);  // gone: its pid names nobody now
  try {
    process::kill(pid, "SIGTERM");
    FAIL() << "kill of a process that does not exist must throw";
  } catch (const process::SystemError& e) {
    EXPECT_EQ(e.code, "ESRCH");
    EXPECT_EQ(std::string(e.what()), "kill ESRCH");
  }
  EXPECT_THROW(process::kill(process::pid(), "SIGNOPE"), process::UnknownSignal);
}

TEST_F(Process, SignalBecomesALoopEventThatDoesNotKeepItAlive) {
  ch4::RealLoop rl;
  auto& loop = rl.loop;
  std::shared_ptr<process::SignalWatch> watch;
  const int code = loop.run_main([&] {
    watch = process::on_signal(loop, "SIGUSR2");
    loop.process().on("SIGUSR2", [](const Args& a) { console::log("signal " + ch4::str(a)); });
    loop.process().on("exit", [](const Args& a) { console::log("exit " + std::to_string(std::any_cast<int>(a[0]))); });
    console::log("main");
    process::kill(process::pid(), "SIGUSR2");
    loop.set_timeout([] { console::log("timeout"); }, 50);
  });
  watch.reset();  // restores the default disposition (before the loop goes)
  EXPECT_EQ(code, 0);
  const kata::testing::Lines expected{"main", "signal SIGUSR2", "timeout", "exit 0"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/process_signal.js", expected);
}

TEST_F(Process, SigkillCannotBeWatched) {
  ch4::RealLoop rl;
  try {
    process::on_signal(rl.loop, "SIGKILL");
    FAIL() << "SIGKILL can't be caught: on_signal must refuse it";
  } catch (const process::SystemError& e) {
    EXPECT_EQ(e.code, "EINVAL");
  }
}
