// Hidden check of ch4.ex02 (kata/probe.hpp): 1-3 children per case, started
// together on one loop, each generated from the seed:
//   * a /bin/sh script writing random bytes (non-UTF-8 too) to stdout and
//     stderr, then exiting with a random code or killing itself;
//   * random arguments (spaces, quotes, $, ;, *, empty, UTF-8) echoed back;
//   * cat fed through std_in: one write of 5 B / 20 KiB / 100 KiB (for the
//     first two its return value and the 'drain' it owes), then end() — or kill(signal) once it
//     echoed the first bytes, and kill() again after the exit;
//   * start failures: a missing program, a file that is not executable, a
//     missing cwd, a name not in PATH, an empty name (the only throw);
//   * env and cwd options, the PATH search in the child's env;
//   * 300 KB on both pipes; stdout/stderr ignored or inherited; the fds the
//     child inherits; a grandchild holding the pipes after the exit.
// Each child's events are logged in its own list (children run in parallel:
// their interleaving is the OS's), its stdout and stderr each as one string
// (how the bytes were cut into 'data' chunks is the OS's too), big outputs
// as length + hash. Error messages are logged where the README fixes them.
//
//     ./build/learner/ch4_ex02 --kata-probe --seed 7 --cases 3
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "tmp_dir.hpp"
#include "node_runtime.hpp"
#include "os_process.hpp"

namespace {

namespace cp = kata::child_process;
using cp::Args;
using kata::probe::Rng;

std::string esc(const std::string& s) { return kata::probe::shown(s, 200); }

std::string show(const std::optional<int>& v) { return v ? std::to_string(*v) : "null"; }
std::string show(const std::optional<std::string>& v) { return v ? *v : "null"; }

std::string random_bytes(Rng& rng) {
  static const std::vector<std::string> pieces = {"hello", " ", "\n", "world", "中文", "\xff\xfe", "\x01", "%s", "\\n", "-", "$x", "'", "\""};
  std::string s;
  const int n = rng.between(0, 5);
  for (int i = 0; i < n; ++i) s += rng.pick(pieces);
  return s;
}


struct Child {
  std::string label;
  std::vector<std::string> lines;  // this child's own trace
  std::shared_ptr<cp::ChildProcess> process;
  std::string out, err;
  std::string out_events, err_events;  // "end", "close" as they came
  int drains = 0;
  bool racy_write = false;   // a write larger than the pipe: its return value is the OS's
  bool stdin_finished = false;
  std::string kill_on_data;  // kill with this signal once stdout has data
  bool killed_once = false;
  const TmpDir* tmp = nullptr;
  void log(const std::string& s) { lines.push_back(s); }
};

void watch(Child& c, kata::node::Loop& loop) {
  auto& p = *c.process;
  p.on("spawn", [&c](const Args&) { c.log("spawn"); });
  p.on("error", [&c](const Args& a) {
    try {
      cp::rethrow_error_arg(a);
    } catch (const kata::process::SystemError& e) {
      c.log("error " + e.code + " syscall '" + c.tmp->hide(e.syscall) + "' path '" + c.tmp->hide(e.path) + "' \"" +
            c.tmp->hide(e.what()) + "\"");
    } catch (...) {
      c.log("error (not a SystemError)");
    }
  });
  p.on("exit", [&c](const Args& a) { c.log("exit " + show(cp::exit_code_arg(a)) + " " + show(cp::signal_arg(a))); });
  p.on("close", [&c](const Args& a) {
    c.log("close " + show(cp::exit_code_arg(a)) + " " + show(cp::signal_arg(a)));
    // 'close' waits for both EOFs: each 'end' has come (a stream's own 'close'
    // may still be on its way: which stream's is last is the OS's choice).
    c.log("  stdout \"" + esc(c.tmp->hide(c.out)) + "\" ended " + (c.out_events.find("end") != std::string::npos ? "yes" : "no"));
    c.log("  stderr \"" + esc(c.tmp->hide(c.err)) + "\" ended " + (c.err_events.find("end") != std::string::npos ? "yes" : "no"));
    auto& q = *c.process;
    if (!q.pid()) {
      c.log("  pid unset");  // a failed start: its other accessors are not the README's business
      return;
    }
    c.log("  exit_code " + show(q.exit_code()) + ", signal_code " + show(q.signal_code()) + ", killed " +
          (q.killed() ? "yes" : "no") + ", exited " + (q.exited() ? "yes" : "no"));
    c.log(std::string("  kill() after the exit: ") + (q.kill() ? "true" : "false"));
  });
  p.std_out->on("data", [&c](const Args& a) {
    c.out += std::any_cast<std::string>(a.at(0));
    if (!c.kill_on_data.empty() && !c.killed_once) {
      c.killed_once = true;
      const bool ok = c.process->kill(c.kill_on_data);
      c.log("kill(" + c.kill_on_data + ") once it echoed: " + (ok ? "true" : "false") + ", killed " +
            (c.process->killed() ? "yes" : "no"));
    }
  });
  p.std_out->on("end", [&c](const Args&) { c.out_events += " end"; });
  p.std_out->on("close", [&c](const Args&) { c.out_events += " close"; });
  p.std_err->on("data", [&c](const Args& a) { c.err += std::any_cast<std::string>(a.at(0)); });
  p.std_err->on("end", [&c](const Args&) { c.err_events += " end"; });
  p.std_err->on("close", [&c](const Args&) { c.err_events += " close"; });
  p.std_in->on("drain", [&c](const Args&) { ++c.drains; });
  p.std_in->on("finish", [&c](const Args&) { c.stdin_finished = true; });
  (void)loop;
}

const std::vector<std::string> kArgPieces = {"a b", "'q'", "\"dq\"", "$HOME", ";", "*", "", "中文", "-c", "\\", "x\ty", "--", "é"};

// Fills in one child: what it runs, and how it is driven.
void make_child(Rng& rng, kata::node::Loop& loop, Child& c, const TmpDir& tmp) {
  c.tmp = &tmp;
  int kind = rng.below(12);
  if (kind == 11) kind = 5;  // start failures twice as often
  cp::SpawnOptions opts;
  if (kind <= 1) {
    // Output on both pipes, then an exit code or a signal of its own.
    const std::string out = random_bytes(rng), err = random_bytes(rng);
    std::string end = rng.pick<std::string>({"exit 0", "exit 1", "exit 3", "exit 255", "exit 42", "kill -TERM $$", "kill -KILL $$", "kill -USR1 $$", "kill -HUP $$"});
    c.label = "script: out \"" + esc(out) + "\" err \"" + esc(err) + "\" then " + end;
    c.process = cp::spawn(loop, "/bin/sh", {"-c", "printf '%s' \"$1\"; printf '%s' \"$2\" >&2; " + end, "sh", out, err}, opts);
  } else if (kind == 2) {
    std::vector<std::string> args = {"-c", "for a; do printf '[%s]' \"$a\"; done", "sh"};
    const int n = rng.between(0, 5);
    for (int i = 0; i < n; ++i) args.push_back(rng.pick(kArgPieces) + (rng.chance(30) ? rng.pick(kArgPieces) : ""));
    std::string shown;
    for (std::size_t i = 3; i < args.size(); ++i) shown += " <" + esc(args[i]) + ">";
    c.label = "args:" + shown;
    c.process = cp::spawn(loop, rng.chance(50) ? "sh" : "/bin/sh", args, opts);
  } else if (kind <= 4) {
    // cat: one write into the empty pipe (its return value is fixed), then end() or a kill.
    // (Killed: 5 bytes only, so what it read before dying is not a race.)
    if (rng.chance(35)) c.kill_on_data = rng.pick<std::string>({"SIGTERM", "SIGKILL", "SIGINT", "SIGHUP", "SIGUSR2"});
    const std::size_t size = c.kill_on_data.empty() ? std::size_t(rng.pick<int>({5, 5, 20 * 1024, 100 * 1024})) : 5;
    std::string data(size, 'x');
    for (std::size_t i = 0; i < size; ++i) data[i] = char('a' + (i * 7 + size) % 26);
    c.label = "cat: write " + std::to_string(size) + " bytes" + (c.kill_on_data.empty() ? ", end()" : ", kill " + c.kill_on_data);
    c.process = cp::spawn(loop, "cat", {}, opts);
    watch(c, loop);
    const bool ret = c.process->std_in->write(data);
    // Up to 20 KiB fit the empty pipe: true, and no 'drain'. Past the pipe's
    // 64 KiB, how much one write() takes depends on how fast cat is already
    // reading (the OS's), so neither the return value nor 'drain' is fixed.
    c.racy_write = size > 64 * 1024;
    if (!c.racy_write) c.log(std::string("write returned ") + (ret ? "true" : "false"));
    if (c.kill_on_data.empty()) c.process->std_in->end();
    return;
  } else if (kind == 5) {
    // Start failures: 'error' then 'close', never a throw (but for an empty name).
    const int f = rng.below(6);
    std::string file = "/bin/sh";
    std::vector<std::string> args = {"-c", "exit 0"};
    if (f == 0) {
      file = "/nonexistent/prog";
    } else if (f == 1) {
      file = tmp.path + "/not-executable";
      std::ofstream(file) << "#!/bin/sh\necho no\n";
      ::chmod(file.c_str(), 0644);
    } else if (f == 2) {
      opts.cwd = tmp.path + "/missing-dir";
    } else if (f == 3) {
      file = "kata-probe-no-such-program";
    } else if (f == 4) {
      file = "sh";
      opts.env = std::map<std::string, std::string>{{"PATH", tmp.path + "/none:" + tmp.path}};
      std::ofstream(tmp.path + "/sh") << "not a program\n";
      ::chmod((tmp.path + "/sh").c_str(), 0644);  // a candidate that is not executable: EACCES
    } else {
      file = "";
    }
    c.label = "failure: file '" + tmp.hide(file) + "'" + (opts.cwd ? " cwd '" + tmp.hide(*opts.cwd) + "'" : "") +
              (opts.env ? " PATH '" + tmp.hide(opts.env->at("PATH")) + "'" : "");
    try {
      c.process = cp::spawn(loop, file, args, opts);
    } catch (const std::invalid_argument&) {
      c.log("spawn threw invalid_argument");
    }
  } else if (kind == 6) {
    // env replaces the whole environment; cwd; the PATH search uses the child's PATH.
    const bool give_env = rng.chance(60);
    const bool give_cwd = rng.chance(60);
    std::string file = "/bin/sh";
    if (give_env) {
      std::map<std::string, std::string> env{{"KATA_A", random_bytes(rng)}};
      const int path = rng.below(4);
      if (path == 0) env["PATH"] = "/nonexistent:/bin";
      if (path == 1) {
        // A non-executable "sh" first: skipped, /bin/sh wins.
        std::ofstream(tmp.path + "/sh") << "not a program\n";
        ::chmod((tmp.path + "/sh").c_str(), 0644);
        env["PATH"] = tmp.path + ":/usr/bin:/bin";
      }
      if (path != 3) file = "sh";  // path 2: no PATH at all, the default one is searched
      opts.env = env;
    }
    if (give_cwd) {
      std::filesystem::create_directories(tmp.path + "/sub dir");
      opts.cwd = tmp.path + (rng.chance(50) ? "/sub dir" : "");
    }
    c.label = std::string("env/cwd: file ") + file + (give_env ? " env{KATA_A" + std::string(opts.env->count("PATH") ? ", PATH=" + tmp.hide(opts.env->at("PATH")) : "") + "}" : " inherited env") +
              (give_cwd ? " cwd " + tmp.hide(*opts.cwd) : "");
    c.process = cp::spawn(loop, file, {"-c", "printf '%s|%s|' \"${KATA_A-unset}\" \"${KATA_PROBE_PARENT-unset}\"; pwd"}, opts);
  } else if (kind == 7) {
    const int big = rng.pick<int>({100000, 300000});
    c.label = "both pipes " + std::to_string(big) + " bytes";
    c.process = cp::spawn(loop, "/bin/sh", {"-c", "head -c " + std::to_string(big) + " /dev/zero; head -c " + std::to_string(big) + " /dev/zero >&2; exit 7"}, opts);
  } else if (kind == 10) {
    // A background grandchild keeps stdout open after the exit: 'close' waits for its EOF.
    c.label = "late EOF";
    c.process = cp::spawn(loop, "/bin/sh", {"-c", "printf early; (sleep 0.1; printf late; printf late2 >&2) & exit 4"}, opts);
  } else if (kind == 8) {
    const cp::Stdio out = rng.pick<cp::Stdio>({cp::Stdio::pipe, cp::Stdio::ignore, cp::Stdio::inherit});
    const cp::Stdio err = rng.pick<cp::Stdio>({cp::Stdio::pipe, cp::Stdio::ignore, cp::Stdio::inherit});
    auto name = [](cp::Stdio s) { return s == cp::Stdio::pipe ? "pipe" : s == cp::Stdio::ignore ? "ignore" : "inherit"; };
    opts.stdio = {cp::Stdio::pipe, out, err};
    c.label = std::string("stdio: out ") + name(out) + " err " + name(err);
    c.process = cp::spawn(loop, "/bin/sh", {"-c", "printf out; printf err >&2; exit 5"}, opts);
  } else {
    // What the child inherits: only 0-2 (ls's own directory fd is 3), default signals, no mask.
    c.label = "clean start";
    c.process = cp::spawn(loop, "/bin/sh", {"-c", "ls /proc/self/fd | tr '\\n' ' '; grep -E '^Sig(Blk|Ign)' /proc/self/status | tr '\\n' ' '"}, opts);
  }
  if (c.process) watch(c, loop);
}

void one_case(Rng& rng) {
  ::setenv("KATA_PROBE_PARENT", "from-the-parent", 1);
  TmpDir tmp;
  kata::RealClock clock;
  std::vector<std::unique_ptr<Child>> children;
  {
    kata::node::Loop loop(clock);
    bool stuck = false;
    // As Node's main script: the children start in it, and its ticks ('spawn') run before the loop.
    loop.run_main([&] {
      const int n = rng.between(1, 3);
      for (int i = 0; i < n; ++i) {
        children.push_back(std::make_unique<Child>());
        make_child(rng, loop, *children.back(), tmp);
      }
      // Nothing here should take a second; a child that never closes must not hang the probe.
      auto guard = loop.set_timeout([&] { stuck = true; loop.stop(); }, 4000);
      loop.unref(guard);
    });
    if (stuck) kata::console::log("still running after 4 s: stopped");
    for (auto& c : children) {
      if (c->process && c->process->pid() && !c->process->exited()) {
        ::kill(*c->process->pid(), SIGKILL);
        ::waitpid(*c->process->pid(), nullptr, 0);
        c->log("never exited: killed by the probe");
      }
    }
    for (std::size_t i = 0; i < children.size(); ++i) {
      auto& c = *children[i];
      kata::console::log("child " + std::to_string(i) + ": " + c.label);
      for (auto& line : c.lines) kata::console::log("  " + line);
      kata::console::log("  stream events: stdout [" + c.out_events + "] stderr [" + c.err_events + "]");
      if (c.process && c.process->pid() && c.label.rfind("cat", 0) == 0 && c.kill_on_data.empty())
        kata::console::log((c.racy_write ? std::string("  ") : "  drains " + std::to_string(c.drains) + ", ") +
                           "stdin finished " + (c.stdin_finished ? "yes" : "no"));
    }
    for (auto& c : children) c->process.reset();
    loop.run();  // let the closed handles go
  }
  ::unsetenv("KATA_PROBE_PARENT");
}

}  // namespace

KATA_PROBE(one_case);
