// Hidden check of ch4.ex01 (kata/probe.hpp). Each case is one of:
//   * env: random names and values (spaces, '=', UTF-8, empty) set, read,
//     listed, unset, and read back by a /bin/sh child; invalid names refused;
//   * chdir: a random walk through a fresh tree under /tmp (relative and
//     absolute, "..", a name with a space), missing names and a file: Node's
//     code, syscall and message (the tree's path shown as <tmp>), and the cwd;
//   * signals: names ↔ numbers, unknown names (UnknownSignal's message and
//     code), kill(pid, sig) on a child of ours that pauses — signal 0, fatal
//     and harmless signals, stop — then ESRCH once it is reaped, EINVAL;
//   * loop: 1-2 watched signals sent to ourselves from the script and from a
//     chain of setImmediate callbacks, logged by listeners; the previous
//     disposition is back once the watch is destroyed; SIGKILL/SIGSTOP refused.
// Plus, always: argv, exec_path, pid, ppid and platform against what the
// kernel says. No pid, path or time is logged: only whether they agree.
//
//     ./build/learner/ch4_ex01 --kata-probe --seed 7 --cases 3
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <any>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "node_runtime.hpp"
#include "os_process.hpp"

extern char** environ;

namespace {

namespace process = kata::process;
using kata::console::log;
using kata::probe::Rng;

std::string esc(const std::string& s) { return kata::probe::shown(s); }

std::string yes(bool b) { return b ? "yes" : "no"; }

void who() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> expected;
  for (std::size_t start = 0; start < all.size();) {
    const std::size_t end = all.find('\0', start);
    expected.push_back(all.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  char exe[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  const std::string exe_path = n > 0 ? std::string(exe, std::size_t(n)) : "";
  log("argv as the kernel has it: " + yes(process::argv() == expected) +
      "; exec_path: " + yes(process::exec_path() == exe_path) + "; pid: " + yes(process::pid() == ::getpid()) +
      "; ppid: " + yes(process::ppid() == ::getppid()) + "; platform " + process::platform());
}

// ---- env --------------------------------------------------------------------------

// What a /bin/sh started now sees for `name`.
std::string child_sees(const std::string& name) {
  const std::string cmd = "printf '[%s]' \"${" + name + "-unset}\"";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return "popen failed";
  std::string out;
  char buf[256];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, got);
  ::pclose(p);
  return out;
}

std::string random_value(Rng& rng) {
  static const std::vector<std::string> pieces = {"a", "B", "1", " ", "=", "x=y", "中", "é", "$HOME", "'", "\"", "\t", "/usr/bin"};
  std::string v;
  const int n = rng.between(0, 5);
  for (int i = 0; i < n; ++i) v += rng.pick(pieces);
  return v;
}

void env_case(Rng& rng) {
  std::vector<std::string> names;
  const int count = rng.between(1, 4);
  for (int i = 0; i < count; ++i) {
    std::string name = "KATA_PROBE_";
    const int len = rng.between(1, 6);
    for (int k = 0; k < len; ++k) name += "ABCXYZ019_"[rng.below(10)];
    names.push_back(name);
  }
  std::map<std::string, std::string> mine;
  const int ops = rng.between(3, 9);
  for (int op = 0; op < ops; ++op) {
    const std::string& name = rng.pick(names);
    const int r = rng.below(10);
    if (r < 4) {
      const std::string v = random_value(rng);
      process::set_env(name, v);
      mine[name] = v;
      log("set " + name + "=" + esc(v));
    } else if (r < 6) {
      process::unset_env(name);
      mine.erase(name);
      log("unset " + name);
    } else if (r < 8) {
      const auto v = process::get_env(name);
      log("get " + name + ": " + (v ? "\"" + esc(*v) + "\"" : "none"));
    } else if (r < 9) {
      log("a child sees " + name + " as " + esc(child_sees(name)));
    } else {
      const std::string bad = rng.pick<std::string>({"", "A=B", "=X", "KATA_PROBE_="});
      try {
        process::set_env(bad, "v");
        log("set \"" + bad + "\": no error");
        ::unsetenv(bad.c_str());
      } catch (const std::invalid_argument&) {
        log("set \"" + bad + "\": invalid_argument");
      }
    }
  }
  if (!mine.empty()) {
    auto it = mine.begin();
    std::advance(it, rng.below(int(mine.size())));
    log("a child sees " + it->first + " as " + esc(child_sees(it->first)));
  }
  // env() lists exactly environ: ours with their values, the rest untouched.
  std::map<std::string, std::string> expected;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv = *e;
    const std::size_t eq = kv.find('=');
    if (eq != std::string::npos) expected.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  const auto listed = process::env();
  std::string ours = "env():";
  for (const auto& name : names) {
    auto it = listed.find(name);
    ours += " " + name + (it == listed.end() ? " absent" : "=" + esc(it->second));
  }
  log(ours);
  log("env() is environ: " + yes(listed == expected));
  for (const auto& name : names) ::unsetenv(name.c_str());
}

// ---- chdir -------------------------------------------------------------------------

void chdir_case(Rng& rng) {
  char tmpl[] = "/tmp/kata-probe-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
  namespace fs = std::filesystem;
  const std::string base = fs::canonical(tmpl).string();
  fs::create_directories(base + "/a/b");
  fs::create_directories(base + "/c d");
  fs::create_directories(base + "/é");
  std::ofstream(base + "/a/f") << "x";
  const std::string start = fs::current_path().string();
  ::chdir(base.c_str());
  auto shown = [&](std::string s) {
    for (std::size_t at; (at = s.find(base)) != std::string::npos;) s.replace(at, base.size(), "<tmp>");
    return s;
  };
  const int steps = rng.between(2, 6);
  for (int i = 0; i < steps; ++i) {
    std::string to = rng.pick<std::string>({"a", "b", "a/b", "..", ".", "c d", "é", "missing", "a/missing/b", "f", "a/f", ""});
    if (rng.chance(25)) to = base + "/" + rng.pick<std::string>({"a", "a/b", "c d", "nope"});
    try {
      process::chdir(to);
      log("chdir '" + esc(shown(to)) + "': now " + esc(shown(process::cwd())));
    } catch (const process::SystemError& e) {
      log("chdir '" + esc(shown(to)) + "': SystemError " + e.code + " syscall " + e.syscall + " errnum " +
          std::to_string(e.errnum) + " \"" + esc(shown(e.what())) + "\"; still in " + esc(shown(process::cwd())));
    }
  }
  ::chdir(start.c_str());
  fs::remove_all(base);
}

// ---- signals to others ---------------------------------------------------------------

// A child that waits for signals with every disposition at its default.
// Signals stay blocked until it has reset them: one sent early waits for that.
pid_t pausing_child() {
  sigset_t all, old;
  sigfillset(&all);
  ::sigprocmask(SIG_SETMASK, &all, &old);
  const pid_t pid = ::fork();
  if (pid == 0) {
    for (int s = 1; s < NSIG; ++s) ::signal(s, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (;;) ::pause();
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return pid;
}

void names_case(Rng& rng) {
  static const std::vector<std::string> known = {
      "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
      "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
      "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGSYS"};
  for (int i = 0; i < 3; ++i) {
    const std::string name = rng.chance(75) ? rng.pick(known)
                                             : rng.pick<std::string>({"SIGFOO", "TERM", "sigterm", "", "SIGTERM ", "SIG", "SIGNOPE"});
    try {
      log("signal_number(\"" + name + "\") = " + std::to_string(process::signal_number(name)));
    } catch (const process::UnknownSignal& e) {
      log("signal_number(\"" + name + "\"): UnknownSignal \"" + e.what() + "\" " + e.code);
    }
  }
  for (int i = 0; i < 3; ++i) {
    const int n = rng.chance(80) ? rng.pick<int>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21,
                                                  22, 23, 24, 25, 26, 27, 28, 31})
                                 : rng.pick<int>({0, -1, 65, 100});
    log("signal_name(" + std::to_string(n) + ") = \"" + process::signal_name(n) + "\"");
  }

  const pid_t child = pausing_child();
  if (child < 0) throw std::runtime_error("fork");
  bool reaped = false;
  auto report = [&](int status) {
    if (WIFSIGNALED(status)) return "died of signal " + std::to_string(WTERMSIG(status));
    if (WIFSTOPPED(status)) return "stopped by signal " + std::to_string(WSTOPSIG(status));
    if (WIFCONTINUED(status)) return std::string("continued");
    return "exited " + std::to_string(WEXITSTATUS(status));
  };
  const int sends = rng.between(1, 4);
  for (int i = 0; i < sends && !reaped; ++i) {
    const std::string sig = rng.pick<std::string>({"0", "SIGTERM", "SIGKILL", "SIGINT", "SIGHUP", "SIGUSR1", "SIGWINCH",
                                                   "SIGCHLD", "SIGSTOP", "SIGCONT", "SIGFOO", "15", "9", "999"});
    try {
      const bool ok = sig[0] >= '0' && sig[0] <= '9' ? process::kill(child, std::stoi(sig)) : process::kill(child, sig);
      log("kill(child, " + sig + ") = " + (ok ? "true" : "false"));
    } catch (const process::UnknownSignal& e) {
      log("kill(child, " + sig + "): UnknownSignal \"" + e.what() + "\"");
      continue;
    } catch (const process::SystemError& e) {
      log("kill(child, " + sig + "): SystemError " + e.code + " \"" + e.what() + "\"");
      continue;
    }
    // What became of the child (a signal to ourselves' child is delivered at once,
    // but the child may take a moment to die: wait for a change, or see none).
    int status = 0;
    const bool fatal = sig == "SIGTERM" || sig == "SIGKILL" || sig == "SIGINT" || sig == "SIGHUP" || sig == "SIGUSR1" ||
                       sig == "15" || sig == "9";
    if (fatal || sig == "SIGSTOP") {
      const pid_t got = ::waitpid(child, &status, WUNTRACED);
      if (got == child) {
        log("  the child " + report(status));
        reaped = WIFSIGNALED(status) || WIFEXITED(status);
      }
    }
    if (sig == "SIGSTOP" && !reaped) {
      // Running again before anything else is sent (a stopped child keeps
      // other signals pending, and which one wins would be a race).
      log(std::string("kill(child, SIGCONT) = ") + (process::kill(child, "SIGCONT") ? "true" : "false"));
      if (::waitpid(child, &status, WCONTINUED) == child) log("  the child " + report(status));
    }
  }
  if (!reaped) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    log("child killed by the probe");
  }
  // Its pid names nobody now.
  try {
    if (rng.chance(50))
      process::kill(child, "SIGTERM");
    else
      process::kill(child, 0);
    log("kill(reaped child): true");
  } catch (const process::SystemError& e) {
    log("kill(reaped child): SystemError " + e.code + " syscall " + e.syscall + " \"" + e.what() + "\"");
  }
}

// ---- signals to us, as loop events -------------------------------------------------------

volatile sig_atomic_t g_marker_hits = 0;
void marker(int) { g_marker_hits = g_marker_hits + 1; }

void loop_case(Rng& rng) {
  const std::vector<std::string> pool = {"SIGUSR1", "SIGUSR2", "SIGHUP", "SIGWINCH"};
  std::vector<std::string> watched;
  watched.push_back(rng.pick(pool));
  if (rng.chance(50)) {
    const std::string second = rng.pick(pool);
    if (second != watched[0]) watched.push_back(second);
  }
  // A disposition of ours, which destroying the watch must bring back.
  for (const auto& name : watched) {
    struct sigaction sa {};
    sa.sa_handler = marker;
    sigemptyset(&sa.sa_mask);
    ::sigaction(process::signal_number(name), &sa, nullptr);
  }
  g_marker_hits = 0;
  kata::RealClock clock;
  std::vector<std::shared_ptr<process::SignalWatch>> watches;
  int code = -1;
  {
    kata::node::Loop loop(clock);
    // A watch that kept the loop alive would hang it: give up after 2 s.
    auto guard = loop.set_timeout([&] { log("still running after 2 s: stopped"); loop.stop(); }, 2000);
    loop.unref(guard);
    const int hops = rng.between(1, 4);
    // One kind of signal per callback: which of two signals a poll reports first is not ours to fix.
    auto raise = [&](const std::string& where) {
      const int times = rng.pick<int>({0, 1, 1, 2, 3});
      const std::string& sig = rng.pick(watched);
      for (int i = 0; i < times; ++i) process::kill(process::pid(), sig);
      if (times > 0) log(where + " sent " + sig + " x" + std::to_string(times));
    };
    std::function<void(int)> hop = [&](int i) {
      log("immediate " + std::to_string(i));
      if (i + 1 < hops) {
        raise("immediate " + std::to_string(i));
        loop.set_immediate([&hop, i] { hop(i + 1); });
      }
    };
    code = loop.run_main([&] {
      for (std::size_t k = 0; k < watched.size(); ++k) {
        const std::string name = watched[k];
        watches.push_back(process::on_signal(loop, name));
        const int listeners = rng.between(1, 2);
        for (int l = 0; l < listeners; ++l)
          loop.process().on(name, [l, name](const kata::events::Args& a) {
            std::string arg = a.empty() ? "(none)" : a[0].type() == typeid(std::string) ? std::any_cast<std::string>(a[0]) : "(not a string)";
            log("listener " + std::to_string(l) + " of " + name + ": " + arg);
          });
      }
      loop.process().on("exit", [](const kata::events::Args& a) { log("exit " + std::to_string(std::any_cast<int>(a[0]))); });
      log("main");
      raise("main");
      loop.set_immediate([&hop] { hop(0); });
    });
    watches.clear();  // before the loop goes: the old dispositions come back
  }
  log("run_main returned " + std::to_string(code));
  for (const auto& name : watched) {
    struct sigaction now {};
    ::sigaction(process::signal_number(name), nullptr, &now);
    const int before = g_marker_hits;
    ::kill(::getpid(), process::signal_number(name));
    log(name + " after the watch: " + (now.sa_handler == marker ? "our handler is back" : "another disposition") +
        (g_marker_hits == before + 1 ? ", it ran" : ", it did not run"));
    ::signal(process::signal_number(name), SIG_DFL);
  }
  {
    kata::node::Loop loop(clock);
    const std::string sig = rng.chance(50) ? "SIGKILL" : "SIGSTOP";
    try {
      auto w = process::on_signal(loop, sig);
      log("on_signal(" + sig + "): accepted");
    } catch (const process::SystemError& e) {
      log("on_signal(" + sig + "): SystemError " + e.code);
    }
  }
}

void one_case(Rng& rng) {
  who();
  switch (rng.below(4)) {
    case 0: env_case(rng); break;
    case 1: chdir_case(rng); break;
    case 2: names_case(rng); break;
    default: loop_case(rng); break;
  }
}

}  // namespace

KATA_PROBE(one_case);
