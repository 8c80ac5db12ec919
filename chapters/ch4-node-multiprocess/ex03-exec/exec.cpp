#include "exec.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>

#include "kata/todo.hpp"
#include "os_process.hpp"

namespace kata::child_process {

// ---- given: how Node prints the fields ---------------------------------------------
std::string ExecError::code_text() const {
  if (code) return std::to_string(*code);
  if (!error_code.empty()) return error_code;
  return "null";
}

std::string ExecError::signal_text() const {
  if (!killed) return "undefined";
  return signal ? *signal : "null";
}

// ---- your part ---------------------------------------------------------------------

std::shared_ptr<ChildProcess> exec_file(Loop& loop, const std::string& file, const std::vector<std::string>& args,
                                        const ExecOptions& options, ExecCallback callback) {
  (void)loop, (void)file, (void)args, (void)options, (void)callback;
  KATA_TODO("an empty file throws std::invalid_argument. Then Node's execFile: a ChildProcess (start()), your "
            "'close' and 'error' listeners first, 'data' collected up to max_buffer (over: truncate, "
            "remember the error, kill), a timer for timeout, the callback once on 'close' (hints 1-4)");
}

std::shared_ptr<ChildProcess> exec(Loop& loop, const std::string& command, const ExecOptions& options,
                                   ExecCallback callback) {
  (void)loop, (void)command, (void)options, (void)callback;
  KATA_TODO("an empty command throws std::invalid_argument; else execFile(shell, {\"-c\", command}) with "
            "the errors naming the command (hint 5)");
}

std::string exec_sync(const std::string& command, const ExecOptions& options) {
  (void)command, (void)options;
  KATA_TODO("launch() directly; poll() both pipes until EOF (timeout: kill), reap_blocking(); return stdout "
            "or throw ExecError (hint 6)");
}

std::string utf8_lossy(const std::string& bytes) {
  (void)bytes;
  KATA_TODO("copy valid UTF-8; each maximal invalid subpart becomes U+FFFD (\"\\xEF\\xBF\\xBD\") (hint 7)");
}

}  // namespace kata::child_process
