// child_process.exec / execFile / execSync: run a program to completion and
// hand back its whole output — Node's "buffered" way, built on spawn().
//
//   exec(loop, "ls -c", {}, [](const ExecError* err, const std::string& out, const std::string& errout) {...});
//   exec_file(loop, "ls", {"-c"}, {}, callback);   // no shell: arguments are data
//   std::string out = exec_sync("ls -c");          // blocks (no loop)
//
// The callback runs on the loop, once, when the child has exited and its
// pipes are closed ('close'); err is null on success.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace kata::child_process {

struct ExecOptions {
  std::optional<std::string> cwd;
  std::optional<std::map<std::string, std::string>> env;  // nullopt: ours
  int timeout_ms = 0;                      // 0 = none; else kill with kill_signal
  std::string kill_signal = "SIGTERM";
  std::size_t max_buffer = 1024 * 1024;    // per stream, bytes
  std::string encoding = "utf8";           // "utf8" (invalid bytes → U+FFFD) or "buffer" (raw)
  std::string shell = "/bin/sh";           // exec / exec_sync only
};

// Node's error for exec/execFile: message "Command failed: <cmd>\n<stderr>",
// or the spawn error ("spawn /x ENOENT"), or "stdout maxBuffer length exceeded".
class ExecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  std::optional<int> code;          // the exit code, when there is one
  std::string error_code;           // Node's string code: "ENOENT", "ERR_CHILD_PROCESS_STDIO_MAXBUFFER", "ETIMEDOUT"
  // killed and signal describe the exit; like Node they are only set
  // (killed has a value) on a "Command failed" error, not on an error
  // decided earlier (spawn failure, maxBuffer).
  std::optional<bool> killed;
  std::optional<std::string> signal;
  std::string cmd;
  std::string stdout_text, stderr_text;  // exec_sync only: what was captured

  // Given (exec_support.cpp).
  // err.code as Node prints it: "3", "ENOENT", or "null".
  std::string code_text() const;
  // err.signal as Node prints it: "SIGTERM", "null", or "undefined".
  std::string signal_text() const;
};

using ExecCallback = std::function<void(const ExecError* error, const std::string& stdout_text,
                                        const std::string& stderr_text)>;

// /bin/sh -c "<command>": the shell interprets quotes, $, ;, |, globs.
// Throws std::invalid_argument for an empty command; everything else that
// goes wrong reaches the callback.
std::shared_ptr<ChildProcess> exec(Loop& loop, const std::string& command, const ExecOptions& options,
                                   ExecCallback callback);

// The program itself, no shell: every argument arrives byte for byte.
std::shared_ptr<ChildProcess> exec_file(Loop& loop, const std::string& file, const std::vector<std::string>& args,
                                        const ExecOptions& options, ExecCallback callback);

// Blocks until the child is done (no loop needed, none used). Returns its
// stdout; throws ExecError for a failed start, a non-zero exit, a signal,
// a timeout (error_code "ETIMEDOUT") or output over max_buffer.
std::string exec_sync(const std::string& command, const ExecOptions& options = {});

// Decodes bytes as UTF-8 the way Node's TextDecoder / Buffer.toString do:
// each maximal invalid subsequence becomes U+FFFD.
std::string utf8_lossy(const std::string& bytes);

}  // namespace kata::child_process
