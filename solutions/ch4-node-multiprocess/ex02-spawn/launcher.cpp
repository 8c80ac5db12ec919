#include "launcher.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "launch_support.hpp"

namespace kata::child_process {
namespace {

// execvp's PATH search, done in the parent (no allocation after vfork),
// with the PATH the *child* will have (Node: options.env.PATH).
std::string resolve(const std::string& file, const std::vector<std::string>& env) {
  if (file.find('/') != std::string::npos) return file;
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& kv : env)
    if (kv.rfind("PATH=", 0) == 0) path = kv.substr(5);
  int err = ENOENT;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + file;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (errno == EACCES) err = EACCES;  // found, but not executable: the error if nothing better
    start = end + 1;
  }
  throw std::system_error(err, std::generic_category(), "spawn");
}

}  // namespace

Launched launch(const LaunchRequest& req) {
  std::vector<std::string> env = req.env ? *req.env : current_env();
  add_ipc_env(env, req.ipc_fd);
  const std::string exe = resolve(req.file, env);

  // stdio: a pipe (our end for the loop, theirs for the child), /dev/null
  // for ignore, nothing for inherit (the child keeps our fd).
  FdGuard guard;
  ChildSetup setup{{-1, -1, -1}, req.cwd ? req.cwd->c_str() : nullptr, req.ipc_fd};
  Launched out;
  int* ours[3] = {&out.stdin_fd, &out.stdout_fd, &out.stderr_fd};
  for (int i = 0; i < 3; ++i) {
    if (req.stdio[i] == Stdio::pipe) {
      // O_CLOEXEC from birth: a pipe meant for one child must not leak
      // into the next (its EOF would never come).
      int p[2];
      if (::pipe2(p, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
      *ours[i] = guard.hold(i == 0 ? p[1] : p[0]);
      setup.stdio[i] = guard.hold(i == 0 ? p[0] : p[1]);
      // Non-blocking on OUR end only: the child's writes would fail with EAGAIN.
      ::fcntl(*ours[i], F_SETFL, ::fcntl(*ours[i], F_GETFL) | O_NONBLOCK);
    } else if (req.stdio[i] == Stdio::ignore) {
      setup.stdio[i] = guard.hold(::open("/dev/null", O_RDWR | O_CLOEXEC));
      if (setup.stdio[i] < 0) throw std::system_error(errno, std::generic_category(), "open /dev/null");
    }
  }

  out.pid = start_process(exe, req.args, env, setup);
  out.pidfd = open_pidfd(out.pid);
  for (int* fd : ours) guard.release(*fd);  // ours go to the caller; the guard closes theirs
  return out;
}

}  // namespace kata::child_process
