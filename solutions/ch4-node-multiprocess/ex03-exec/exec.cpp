#include "exec.hpp"

#include <system_error>

#include "exec_support.hpp"
#include "launch_support.hpp"
#include "os_process.hpp"

namespace kata::child_process {

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

  child->start(file, args, SpawnOptions{options.cwd, options.env});

  // Registered before the caller's listeners: the callback runs before
  // their 'close' (as in Node, where execFile adds its listener first).
  // The listeners hold `state`, which holds the child: released at 'close'.
  state->close_listener =
      child->on("close", [state, &loop](const Args& a) { state->on_exit(exit_code_arg(a), signal_arg(a), loop); });
  state->error_listener = child->on("error", [state, &loop](const Args& a) {
    state->ex = exec_error(a);  // a failed start ("spawn /x ENOENT") or kill
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
  return run_buffered(loop, options.shell, {"-c", command}, command, options, std::move(callback));
}

std::string exec_sync(const std::string& command, const ExecOptions& options) {
  if (command.empty()) throw std::invalid_argument("The argument 'command' cannot be empty (ERR_INVALID_ARG_VALUE)");
  LaunchRequest req{options.shell, {"-c", command}, options.cwd, std::nullopt,
                    {Stdio::ignore, Stdio::pipe, Stdio::pipe}};
  if (options.env) req.env = env_strings(*options.env);
  Launched child;
  try {
    child = launch(req);
  } catch (const std::system_error& e) {
    ExecError err("spawnSync " + options.shell + " " + kata::process::errno_name(e.code().value()));
    err.error_code = kata::process::errno_name(e.code().value());
    err.cmd = command;
    throw err;
  }
  // Blocks: no loop runs meanwhile (a due timer fires only after us).
  SyncRun run = wait_sync(child, options.max_buffer, options.timeout_ms,
                          kata::process::signal_number(options.kill_signal));

  const std::string o = options.encoding == "buffer" ? run.out : utf8_lossy(run.out);
  const std::string e = options.encoding == "buffer" ? run.err : utf8_lossy(run.err);
  if (!run.over && !run.timed_out && run.status.code == 0) return o;
  ExecError err(run.over        ? *run.over + " maxBuffer length exceeded"
                : run.timed_out ? "spawnSync " + options.shell + " ETIMEDOUT"
                                : "Command failed: " + command + "\n" + e);
  if (run.over) err.error_code = "ERR_CHILD_PROCESS_STDIO_MAXBUFFER";
  if (run.timed_out) err.error_code = "ETIMEDOUT";
  err.code = run.status.code;
  if (run.status.signal) err.signal = kata::process::signal_name(run.status.signal);
  err.killed = run.over.has_value() || run.timed_out;
  err.cmd = command;
  err.stdout_text = o;
  err.stderr_text = e;
  throw err;
}

std::string utf8_lossy(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    const Utf8Step step = utf8_step(in, i);
    if (step.valid) {
      out.append(in, i, step.length);
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD for the whole invalid subpart, as Node's decoder
    }
    i += step.length;
  }
  return out;
}

}  // namespace kata::child_process
