#include "exec.hpp"

#include <system_error>

#include "exec_support.hpp"    // given: wait_sync, utf8_step
#include "kata/todo.hpp"
#include "launch_support.hpp"  // given (ex02): env_strings
#include "os_process.hpp"      // SystemError, errno_name, signal_number, signal_name

namespace kata::child_process {

std::shared_ptr<ChildProcess> exec_file(Loop& loop, const std::string& file, const std::vector<std::string>& args,
                                        const ExecOptions& options, ExecCallback callback) {
  (void)loop, (void)file, (void)args, (void)options, (void)callback;
  KATA_TODO("an empty file throws std::invalid_argument. Then Node's execFile: a ChildProcess (start(), "
            "ex02-spawn/child_process.hpp), your 'close' and 'error' listeners first, 'data' collected up to "
            "max_buffer (over: truncate, remember the error, kill), a timer for timeout (loop.set_timeout) "
            "sending kill_signal, the callback once on 'close' (hints 1-5)");
}

std::shared_ptr<ChildProcess> exec(Loop& loop, const std::string& command, const ExecOptions& options,
                                   ExecCallback callback) {
  (void)loop, (void)command, (void)options, (void)callback;
  KATA_TODO("an empty command throws std::invalid_argument; else execFile(options.shell, {\"-c\", command}) "
            "with the errors naming the command (hint 6)");
}

std::string exec_sync(const std::string& command, const ExecOptions& options) {
  (void)command, (void)options;
  KATA_TODO("launch() (ex02-spawn/launcher.hpp) the shell with stdio {ignore, pipe, pipe}; a failed start "
            "throws ExecError \"spawnSync /bin/sh ENOENT\". Then wait_sync() (exec_support.hpp: polls both "
            "pipes, kills on timeout or maxBuffer, reaps); return stdout, or throw ExecError with Node's "
            "fields (hint 7)");
}

std::string utf8_lossy(const std::string& bytes) {
  (void)bytes;
  KATA_TODO("walk the bytes with utf8_step() (exec_support.hpp): copy a valid character, and turn each "
            "invalid subpart into one U+FFFD (\"\\xEF\\xBF\\xBD\") (hint 8)");
}

}  // namespace kata::child_process
