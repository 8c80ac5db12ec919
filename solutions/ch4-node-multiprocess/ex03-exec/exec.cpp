#include "exec.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>

#include "os_process.hpp"

namespace kata::child_process {

std::string ExecError::code_text() const {
  if (code) return std::to_string(*code);
  if (!error_code.empty()) return error_code;
  return "null";
}

std::string ExecError::signal_text() const {
  if (!killed) return "undefined";
  return signal ? *signal : "null";
}

namespace {

// One exec's bookkeeping: Node's exithandler/errorhandler closure.
struct ExecState {
  std::shared_ptr<ChildProcess> child;
  ExecOptions options;
  ExecCallback callback;
  std::string cmd;
  std::string out, err;
  std::optional<ExecError> ex;  // an error decided before the exit (maxBuffer, spawn)
  bool killed = false;
  bool exited = false;
  kata::node::Timeout timer;
  kata::events::ListenerId close_listener = 0, error_listener = 0;

  std::string text(const std::string& bytes) const {
    return options.encoding == "buffer" ? bytes : utf8_lossy(bytes);
  }

  void kill() {
    killed = true;
    // Signal first, then close our ends: a fatal signal queued before the
    // pipe closes is what the child dies of (not SIGPIPE from a write).
    try {
      child->kill(options.kill_signal);
    } catch (const std::exception& e) {
      ex.emplace(e.what());
    }
    child->std_out->destroy();
    child->std_err->destroy();
  }

  void on_data(std::string& buffer, const std::string& chunk, const char* stream) {
    if (ex) return;  // already over the limit: the rest is dropped
    if (buffer.size() + chunk.size() > options.max_buffer) {
      buffer.append(chunk, 0, options.max_buffer - buffer.size());  // truncated at the limit
      ex.emplace(std::string(stream) + " maxBuffer length exceeded");
      ex->error_code = "ERR_CHILD_PROCESS_STDIO_MAXBUFFER";
      kill();
      return;
    }
    buffer += chunk;
  }

  void on_exit(std::optional<int> code, std::optional<std::string> signal, kata::node::Loop& loop) {
    if (exited) return;
    exited = true;
    if (timer) loop.clear_timeout(timer);
    if (!callback) return;
    const std::string o = text(out), e = text(err);
    if (!ex && code == 0 && !signal) {
      callback(nullptr, o, e);
    } else {
      if (!ex) {
        ex.emplace("Command failed: " + cmd + "\n" + e);
        ex->code = code;
        ex->killed = child->killed() || killed;
        ex->signal = signal;
      }
      ex->cmd = cmd;
      callback(&*ex, o, e);
    }
    callback = nullptr;  // once
    // Our listeners hold this state, which holds the child: let both go.
    child->off("close", close_listener);
    child->off("error", error_listener);
  }
};

// execFile's body; `cmd` is what errors name (Node: the command for exec,
// "file arg1 arg2" for execFile).
std::shared_ptr<ChildProcess> run_buffered(Loop& loop, const std::string& file, const std::vector<std::string>& args,
                                           std::string cmd, const ExecOptions& options, ExecCallback callback) {
  auto state = std::make_shared<ExecState>();
  state->options = options;
  state->callback = std::move(callback);
  state->cmd = std::move(cmd);
  state->child = std::make_shared<ChildProcess>(loop);
  auto& child = state->child;

  SpawnOptions spawn_options;
  spawn_options.cwd = options.cwd;
  spawn_options.env = options.env;
  child->start(file, args, spawn_options);

  // Registered before the caller's listeners: the callback runs before
  // their 'close' (as in Node, where execFile adds its listener first).
  // The listeners hold `state`, which holds the child: released at 'close'.
  state->close_listener =
      child->on("close", [state, &loop](const Args& a) { state->on_exit(exit_code_arg(a), signal_arg(a), loop); });
  state->error_listener = child->on("error", [state, &loop](const Args& a) {
    try {
      rethrow_error_arg(a);
    } catch (const kata::process::SystemError& e) {
      state->ex.emplace(e.what());
      state->ex->error_code = e.code;
    } catch (const std::exception& e) {
      state->ex.emplace(e.what());
    }
    state->child->std_out->destroy();
    state->child->std_err->destroy();
    state->on_exit(std::nullopt, std::nullopt, loop);
  });
  child->std_out->on("data", [s = state.get()](const Args& a) { s->on_data(s->out, std::any_cast<std::string>(a[0]), "stdout"); });
  child->std_err->on("data", [s = state.get()](const Args& a) { s->on_data(s->err, std::any_cast<std::string>(a[0]), "stderr"); });
  if (options.timeout_ms > 0 && child->pid()) {
    state->timer = loop.set_timeout([s = state.get()] {
      s->timer = {};
      s->kill();
    }, options.timeout_ms);
  }
  return child;
}

}  // namespace

std::shared_ptr<ChildProcess> exec_file(Loop& loop, const std::string& file, const std::vector<std::string>& args,
                                        const ExecOptions& options, ExecCallback callback) {
  if (file.empty()) throw std::invalid_argument("The argument 'file' cannot be empty (ERR_INVALID_ARG_VALUE)");
  std::string cmd = file;
  for (const auto& a : args) cmd += " " + a;
  return run_buffered(loop, file, args, std::move(cmd), options, std::move(callback));
}

std::shared_ptr<ChildProcess> exec(Loop& loop, const std::string& command, const ExecOptions& options,
                                   ExecCallback callback) {
  if (command.empty()) throw std::invalid_argument("The argument 'command' cannot be empty (ERR_INVALID_ARG_VALUE)");
  // Node: execFile(shell, ['-c', command]), the error naming the command.
  return run_buffered(loop, options.shell, {"-c", command}, command, options, std::move(callback));}

std::string exec_sync(const std::string& command, const ExecOptions& options) {
  if (command.empty()) throw std::invalid_argument("The argument 'command' cannot be empty (ERR_INVALID_ARG_VALUE)");
  LaunchRequest req;
  req.file = options.shell;
  req.args = {"-c", command};
  req.cwd = options.cwd;
  if (options.env) {
    std::vector<std::string> env;
    for (const auto& [k, v] : *options.env) env.push_back(k + "=" + v);
    req.env = std::move(env);
  }
  req.stdio = {Stdio::ignore, Stdio::pipe, Stdio::pipe};
  Launched l;
  try {
    l = launch(req);
  } catch (const std::system_error& e) {
    ExecError err("spawnSync " + options.shell + " " + kata::process::errno_name(e.code().value()));
    err.error_code = kata::process::errno_name(e.code().value());
    err.cmd = command;
    throw err;
  }

  // Blocking, but on both pipes at once (poll), never one after the other:
  // a child that fills stderr while we wait for stdout's EOF would deadlock.
  std::string out, errout;
  std::optional<std::string> over;  // which stream went over max_buffer
  bool timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);
  const int kill_sig = kata::process::signal_number(options.kill_signal);
  int fds[2] = {l.stdout_fd, l.stderr_fd};
  std::string* bufs[2] = {&out, &errout};
  while ((fds[0] >= 0 || fds[1] >= 0) && !over) {
    pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    int wait = -1;
    if (options.timeout_ms > 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      wait = int(std::max<long long>(0, left.count()));
    }
    const int n = ::poll(p, 2, wait);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      timed_out = true;
      ::kill(l.pid, kill_sig);
      break;
    }
    for (int i = 0; i < 2 && !over; ++i) {
      if (fds[i] < 0 || p[i].revents == 0) continue;
      char buf[65536];
      const ssize_t r = ::read(fds[i], buf, sizeof buf);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r <= 0) {
        ::close(fds[i]);
        fds[i] = -1;
        continue;
      }
      std::string& b = *bufs[i];
      if (b.size() + size_t(r) > options.max_buffer) {
        b.append(buf, options.max_buffer - b.size());  // truncated at the limit
        over = i == 0 ? "stdout" : "stderr";
        ::kill(l.pid, kill_sig);
      } else {
        b.append(buf, size_t(r));
      }
    }
  }
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
  const ExitStatus st = reap_blocking(l.pid);  // the only reaper of this child
  ::close(l.pidfd);

  const std::string o = options.encoding == "buffer" ? out : utf8_lossy(out);
  const std::string e = options.encoding == "buffer" ? errout : utf8_lossy(errout);
  if (!over && !timed_out && st.code == 0) return o;
  ExecError err(over        ? *over + " maxBuffer length exceeded"
                : timed_out ? "spawnSync " + options.shell + " ETIMEDOUT"
                            : "Command failed: " + command + "\n" + e);
  if (over) err.error_code = "ERR_CHILD_PROCESS_STDIO_MAXBUFFER";
  if (timed_out) err.error_code = "ETIMEDOUT";
  err.code = st.code;
  if (st.signal) err.signal = kata::process::signal_name(st.signal);
  err.killed = over.has_value() || timed_out;
  err.cmd = command;
  err.stdout_text = o;
  err.stderr_text = e;
  throw err;
}

std::string utf8_lossy(const std::string& in) {
  static const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(in.size());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(in[i]);
    if (b < 0x80) {
      out += char(b);
      ++i;
      continue;
    }
    // Valid ranges per first byte (Unicode table 3-7): the second byte's
    // bounds are narrower for E0, ED, F0, F4 (no overlongs, no surrogates).
    int need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
    } else if (b == 0xE0) {
      need = 2, lo = 0xA0;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      need = 2;
    } else if (b == 0xED) {
      need = 2, hi = 0x9F;
    } else if (b == 0xF0) {
      need = 3, lo = 0x90;
    } else if (b >= 0xF1 && b <= 0xF3) {
      need = 3;
    } else if (b == 0xF4) {
      need = 3, hi = 0x8F;
    }
    if (need == 0) {  // never valid as a first byte
      out += kReplacement;
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool ok = true;
    for (int k = 0; k < need; ++k, ++j) {
      const auto c = j < n ? static_cast<unsigned char>(in[j]) : 0;
      if (j >= n || c < (k == 0 ? lo : 0x80) || c > (k == 0 ? hi : 0xBF)) {
        ok = false;  // the maximal subpart i..j becomes one U+FFFD
        break;
      }
    }
    if (ok) {
      out.append(in, i, j - i);
    } else {
      out += kReplacement;
    }
    i = j;
  }
  return out;
}

}  // namespace kata::child_process
