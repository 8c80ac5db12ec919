// Given: see exec_support.hpp; and how Node prints ExecError's fields.
#include "exec_support.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "os_process.hpp"

namespace kata::child_process {

// err.code as Node prints it: the exit code, else the string code, else null.
std::string ExecError::code_text() const {
  if (code) return std::to_string(*code);
  if (!error_code.empty()) return error_code;
  return "null";
}

// err.signal: undefined on an error decided before the exit (killed unset).
std::string ExecError::signal_text() const {
  if (!killed) return "undefined";
  return signal ? *signal : "null";
}

ExecError exec_error(const kata::events::Args& error_args) {
  try {
    rethrow_error_arg(error_args);
  } catch (const kata::process::SystemError& e) {
    ExecError ex(e.what());
    ex.error_code = e.code;
    return ex;
  } catch (const std::exception& e) {
    return ExecError(e.what());
  }
  return ExecError("error");  // not reached: rethrow_error_arg always throws
}

Utf8Step utf8_step(std::string_view in, std::size_t i) {
  const auto b = static_cast<unsigned char>(in[i]);
  if (b < 0x80) return {1, true};
  // Valid ranges per lead byte (table 3-7): the second byte's bounds are
  // narrower for E0, ED, F0, F4.
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
  if (need == 0) return {1, false};  // never valid as a lead byte
  std::size_t j = i + 1;
  for (int k = 0; k < need; ++k, ++j) {
    const auto c = j < in.size() ? static_cast<unsigned char>(in[j]) : 0;
    if (j >= in.size() || c < (k == 0 ? lo : 0x80) || c > (k == 0 ? hi : 0xBF))
      return {j - i, false};  // the maximal subpart i..j
  }
  return {j - i, true};
}

SyncRun wait_sync(const Launched& child, std::size_t max_buffer, int timeout_ms, int kill_signal) {
  SyncRun run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int fds[2] = {child.stdout_fd, child.stderr_fd};
  std::string* bufs[2] = {&run.out, &run.err};
  while ((fds[0] >= 0 || fds[1] >= 0) && !run.over) {
    pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    int wait = -1;
    if (timeout_ms > 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      wait = int(std::max<long long>(0, left.count()));
    }
    const int n = ::poll(p, 2, wait);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      run.timed_out = true;
      ::kill(child.pid, kill_signal);
      break;
    }
    for (int i = 0; i < 2 && !run.over; ++i) {
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
      if (b.size() + std::size_t(r) > max_buffer) {
        b.append(buf, max_buffer - b.size());  // cut at the limit
        run.over = i == 0 ? "stdout" : "stderr";
        ::kill(child.pid, kill_signal);
      } else {
        b.append(buf, std::size_t(r));
      }
    }
  }
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
  run.status = reap_blocking(child.pid);
  if (child.pidfd >= 0) ::close(child.pidfd);
  return run;
}

}  // namespace kata::child_process
