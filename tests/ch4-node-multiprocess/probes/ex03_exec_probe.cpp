// Hidden check of ch4.ex03 (kata/probe.hpp): 1-3 exec / exec_file calls per
// case on one loop, plus now and then an exec_sync, generated from the seed:
//   * shell scripts printing random bytes (non-UTF-8 too) to stdout/stderr,
//     exiting with a code or killing themselves; shell semantics ($((..)),
//     quotes, unmatched globs, a missing command = 127);
//   * exec_file with arguments that would mean something to a shell;
//   * max_buffer on stdout or stderr, just under, at and over the limit;
//   * timeout_ms with a fatal kill_signal, one the child ignores (it is waited
//     for), an unknown one;
//   * start failures (missing program, not executable, missing cwd) and the
//     empty command (a throw); env and cwd; "buffer" vs "utf8" decoding;
//   * utf8_lossy on random byte soups (cut, overlong, surrogate sequences).
// Logged: every ExecError field Node has, the callback's stdout/stderr, and
// for plain runs the caller's view of the ChildProcess events (data, exit,
// callback, close). When max_buffer is passed only the stream that passed it
// is logged (what the other one held when the pipes were closed is a race).
//
//     ./build/learner/ch4_ex03 --kata-probe --seed 7 --cases 3
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

#include "exec.hpp"
#include "kata/clock.hpp"
#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "tmp_dir.hpp"
#include "node_runtime.hpp"

namespace {

namespace cp = kata::child_process;
using cp::Args;
using kata::probe::Rng;

std::string esc(const std::string& s) { return kata::probe::shown(s, 300); }

std::string show(const std::optional<int>& v) { return v ? std::to_string(*v) : "null"; }
std::string show(const std::optional<std::string>& v) { return v ? *v : "null"; }
std::string show(const std::optional<bool>& v) { return v ? (*v ? "true" : "false") : "undefined"; }

// Single-quoted for /bin/sh.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

const std::vector<std::string> kBytes = {"hello", " ", "\n", "中文", "é", "\xff", "\xe6\x97", "\xed\xa0\x80", "\xc0\xaf",
                                         "\xf0\x9f\x8e\x89", "\x80", "\xf5", "\x01", "%", "'", "\""};

std::string soup(Rng& rng, int lo, int hi) {
  std::string s;
  const int n = rng.between(lo, hi);
  for (int i = 0; i < n; ++i) s += rng.pick(kBytes);
  return s;
}


struct Call {
  std::string label;
  std::vector<std::string> lines;
  bool plain = true;          // output not cut by a kill: the caller's 'data' can be logged
  std::string over_stream;    // "stdout"/"stderr": only that one is logged
  bool only_message = false;  // an error whose other fields the README leaves open
  std::shared_ptr<cp::ChildProcess> child;
  const TmpDir* tmp = nullptr;
  bool saw_data = false;
  void log(const std::string& s) { lines.push_back(s); }
};

std::string error_fields(const cp::ExecError& e, const TmpDir& tmp) {
  return "error \"" + esc(tmp.hide(e.what())) + "\" code " + e.code_text() + " killed " + show(e.killed) + " signal " +
         e.signal_text() + " cmd \"" + esc(tmp.hide(e.cmd)) + "\"";
}

cp::ExecCallback callback_for(Call& c) {
  return [&c](const cp::ExecError* e, const std::string& out, const std::string& err) {
    if (e != nullptr && c.only_message) {
      c.log("callback: error \"" + esc(e->what()) + "\"");
    } else if (e != nullptr) {
      c.log("callback: " + error_fields(*e, *c.tmp));
    } else {
      c.log("callback: null");
    }
    if (c.over_stream.empty() || c.over_stream == "stdout") c.log("  stdout \"" + esc(c.tmp->hide(out)) + "\"");
    if (c.over_stream.empty() || c.over_stream == "stderr") c.log("  stderr \"" + esc(c.tmp->hide(err)) + "\"");
  };
}

// The caller's view of the child exec returns.
void listen(Call& c) {
  if (!c.child) return;
  if (c.plain)
    c.child->std_out->on("data", [&c](const Args&) {
      if (!c.saw_data) c.log("data");
      c.saw_data = true;
    });
  // Killed for max_buffer: whether it had already exited by itself is a race.
  auto how = [&c](const Args& a) { return c.plain ? " " + show(cp::exit_code_arg(a)) + " " + show(cp::signal_arg(a)) : ""; };
  c.child->on("exit", [&c, how](const Args& a) { c.log("exit" + how(a)); });
  c.child->on("close", [&c, how](const Args& a) { c.log("close" + how(a)); });
}

void start_call(Rng& rng, kata::node::Loop& loop, Call& c, const TmpDir& tmp) {
  c.tmp = &tmp;
  cp::ExecOptions opts;
  if (rng.chance(35)) opts.encoding = "buffer";
  const int kind = rng.below(9);
  const std::string enc = opts.encoding == "buffer" ? " [buffer]" : "";
  try {
    if (kind <= 1) {
      const std::string out = soup(rng, 0, 4), err = soup(rng, 0, 4);
      const std::string end = rng.pick<std::string>({"exit 0", "exit 0", "exit 1", "exit 3", "exit 255", "kill -TERM $$", "kill -KILL $$", "kill -USR1 $$"});
      const std::string cmd = "printf '%s' " + quote(out) + "; printf '%s' " + quote(err) + " >&2; " + end;
      c.label = "exec \"" + esc(cmd) + "\"" + enc;
      c.child = cp::exec(loop, cmd, opts, callback_for(c));
    } else if (kind == 2) {
      const std::string cmd = rng.pick<std::string>({
          "printf '%s|' $((2*3)) \"a b\" 'c d' x\\ y", "printf '%s|' *.kata-nomatch", "echo a; echo b >&2; exit 2",
          "kata-missing-command-xyz", "printf '%s' \"${KATA_PROBE_PARENT-unset}\"", "false", "exit 255",
          "printf 'x\\ny'", "printf '\\377\\376\\355\\240\\200 ok\\n'", "printf '\\346\\227'; printf '\\300' >&2",
          "for i in 1 2 3; do printf $i; done; exit 9", "printf '%s' \"$0\""});
      c.label = "exec \"" + esc(cmd) + "\"" + enc;
      c.child = cp::exec(loop, cmd, opts, callback_for(c));
    } else if (kind == 3) {
      std::vector<std::string> args = {"%s|"};
      const int n = rng.between(0, 4);
      for (int i = 0; i < n; ++i) args.push_back(rng.pick<std::string>({"$HOME", "a;b", "`id`", "*", "a b", "", "'q'", "中文", "$((1+1))"}));
      std::string shown;
      for (auto& a : args) shown += " <" + esc(a) + ">";
      c.label = "exec_file printf" + shown + enc;
      c.child = cp::exec_file(loop, "printf", args, opts, callback_for(c));
    } else if (kind == 4) {
      opts.max_buffer = std::size_t(rng.between(1, 120));
      const int delta = rng.pick<int>({-1, 0, 0, 1, 1, 5, 300});
      const int len = std::max(0, int(opts.max_buffer) + delta);
      std::string text;
      for (int i = 0; i < len; ++i) text += char('a' + i % 26);
      if (rng.chance(25) && len >= 3) text.replace(std::size_t(len / 2), 3, "中");  // a character the limit may cut
      const bool to_err = rng.chance(40);
      if (delta > 0) {
        c.over_stream = to_err ? "stderr" : "stdout";
        c.plain = false;
      }
      const std::string cmd = "printf '%s' " + quote(text) + (to_err ? " >&2" : "");
      c.label = "exec " + std::to_string(len) + " bytes to " + (to_err ? "stderr" : "stdout") + ", max_buffer " +
                std::to_string(opts.max_buffer) + enc;
      c.child = cp::exec(loop, cmd, opts, callback_for(c));
    } else if (kind == 5) {
      opts.timeout_ms = 30;
      const int t = rng.below(4);
      if (t <= 1) {
        opts.kill_signal = rng.pick<std::string>({"SIGTERM", "SIGKILL", "SIGINT", "SIGHUP", "SIGUSR2"});
        c.label = "exec_file sleep 5, timeout 30 ms, kill_signal " + opts.kill_signal;
        c.child = cp::exec_file(loop, "sleep", {"5"}, opts, callback_for(c));
      } else if (t == 2) {
        // A signal whose default is to ignore it: the timeout only sends it, the exit is waited for.
        opts.kill_signal = rng.pick<std::string>({"SIGWINCH", "SIGURG"});
        c.label = "exec \"sleep 0.3; exit 6\", timeout 30 ms, kill_signal " + opts.kill_signal;
        c.child = cp::exec(loop, "sleep 0.3; exit 6", opts, callback_for(c));
      } else {
        opts.kill_signal = "SIGFOO";
        c.only_message = true;
        c.plain = false;
        c.over_stream = "none";
        c.label = "exec \"sleep 0.2\", timeout 30 ms, kill_signal SIGFOO";
        c.child = cp::exec(loop, "sleep 0.2", opts, callback_for(c));
      }
    } else if (kind == 6) {
      const int f = rng.below(5);
      std::string file = "/bin/sh";
      if (f == 0) file = "/nonexistent/prog";
      if (f == 1) {
        file = tmp.path + "/not-executable";
        std::ofstream(file) << "#!/bin/sh\necho no\n";
        ::chmod(file.c_str(), 0644);
      }
      if (f == 2) opts.cwd = tmp.path + "/missing-dir";
      if (f == 3) {
        c.label = "exec \"\"";
        c.child = cp::exec(loop, "", opts, callback_for(c));
        c.log("no throw");
        return;
      }
      if (f == 4) {
        c.label = "exec_file \"\"";
        c.child = cp::exec_file(loop, "", {}, opts, callback_for(c));
        c.log("no throw");
        return;
      }
      c.label = "exec_file " + tmp.hide(file) + (opts.cwd ? " cwd " + tmp.hide(*opts.cwd) : "");
      c.child = cp::exec_file(loop, file, {"-c", "exit 0"}, opts, callback_for(c));
    } else if (kind == 7) {
      if (rng.chance(60)) opts.env = std::map<std::string, std::string>{{"KATA_A", soup(rng, 0, 3)}, {"PATH", "/usr/bin:/bin"}};
      if (rng.chance(60)) {
        std::filesystem::create_directories(tmp.path + "/sub dir");
        opts.cwd = tmp.path + "/sub dir";
      }
      c.label = std::string("exec env/cwd:") + (opts.env ? " env" : "") + (opts.cwd ? " cwd" : "") + enc;
      c.child = cp::exec(loop, "printf '%s|%s|' \"${KATA_A-unset}\" \"${KATA_PROBE_PARENT-unset}\"; pwd", opts, callback_for(c));
    } else {
      // A bigger output, over several reads.
      const int n = rng.pick<int>({20000, 70000, 200000});
      c.label = "exec head -c " + std::to_string(n) + " of a pattern" + enc;
      c.child = cp::exec(loop, "yes 'abc中' | head -c " + std::to_string(n), opts, callback_for(c));
    }
  } catch (const std::invalid_argument&) {
    c.log("threw invalid_argument");
  }
}

void sync_call(Rng& rng, const TmpDir& tmp) {
  cp::ExecOptions opts;
  std::string cmd;
  const int k = rng.below(5);
  if (k == 0) cmd = "printf '%s' " + quote(soup(rng, 0, 4)) + "; printf err >&2";
  if (k == 1) cmd = "printf out; echo oops >&2; exit " + std::to_string(rng.between(1, 9));
  if (k == 2) {
    opts.timeout_ms = 30;
    cmd = "exec sleep 5";
  }
  if (k == 3) {
    opts.max_buffer = std::size_t(rng.between(1, 50));
    cmd = "printf '%s' " + quote(std::string(std::size_t(rng.between(40, 90)), 'z'));
  }
  if (k == 4) cmd = "kill -" + rng.pick<std::string>({"TERM", "KILL", "HUP"}) + " $$";
  kata::console::log("exec_sync \"" + esc(cmd) + "\"" + (opts.timeout_ms ? ", timeout 30 ms" : "") +
                     (k == 3 ? ", max_buffer " + std::to_string(opts.max_buffer) : ""));
  try {
    const std::string out = cp::exec_sync(cmd, opts);
    kata::console::log("  returned \"" + esc(out) + "\"");
  } catch (const cp::ExecError& e) {
    if (k == 3) {  // killed for max_buffer: whether it had exited by itself first is a race
      kata::console::log("  threw \"" + esc(e.what()) + "\" error_code " + e.error_code + " stdout_text \"" + esc(e.stdout_text) + "\"");
      return;
    }
    kata::console::log("  threw " + error_fields(e, tmp) + " error_code " + e.error_code);
    kata::console::log("  stdout_text \"" + esc(e.stdout_text) + "\" stderr_text \"" + esc(e.stderr_text) + "\"");
  }
}

void one_case(Rng& rng) {
  ::setenv("KATA_PROBE_PARENT", "from-the-parent", 1);
  TmpDir tmp;
  for (int i = rng.between(1, 2); i > 0; --i) {
    const std::string bytes = soup(rng, 1, 6);
    kata::console::log("utf8_lossy \"" + esc(bytes) + "\" = \"" + esc(cp::utf8_lossy(bytes)) + "\"");
  }
  if (rng.chance(30)) sync_call(rng, tmp);
  kata::RealClock clock;
  std::vector<std::unique_ptr<Call>> calls;
  {
    kata::node::Loop loop(clock);
    bool stuck = false;
    loop.run_main([&] {
      const int n = rng.between(1, 3);
      for (int i = 0; i < n; ++i) {
        calls.push_back(std::make_unique<Call>());
        start_call(rng, loop, *calls.back(), tmp);
        listen(*calls.back());
      }
      auto guard = loop.set_timeout([&] { stuck = true; loop.stop(); }, 4000);
      loop.unref(guard);
    });
    if (stuck) kata::console::log("still running after 4 s: stopped");
    for (auto& c : calls) {
      if (c->child && c->child->pid() && !c->child->exited()) {
        ::kill(*c->child->pid(), SIGKILL);
        ::waitpid(*c->child->pid(), nullptr, 0);
        c->log("never exited: killed by the probe");
      }
    }
    for (std::size_t i = 0; i < calls.size(); ++i) {
      kata::console::log("call " + std::to_string(i) + ": " + calls[i]->label);
      for (auto& line : calls[i]->lines) kata::console::log("  " + line);
    }
    for (auto& c : calls) c->child.reset();
    loop.run();
  }
  ::unsetenv("KATA_PROBE_PARENT");
}

}  // namespace

KATA_PROBE(one_case);
