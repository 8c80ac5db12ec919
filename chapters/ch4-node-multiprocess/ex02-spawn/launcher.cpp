#include "launcher.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "kata/todo.hpp"
#include "launch_support.hpp"  // given: current_env, add_ipc_env, ChildSetup, start_process, FdGuard, open_pidfd

namespace kata::child_process {

Launched launch(const LaunchRequest& req) {
  (void)req;
  KATA_TODO("the child's env: req.env or current_env(), then add_ipc_env(env, req.ipc_fd); a file "
            "without '/' searched in THAT env's PATH by you (start_process's bp::exe does not search): "
            "ENOENT, or EACCES when only a non-executable was found, as std::system_error. Per stdio into a "
            "ChildSetup: pipe = pipe2(O_CLOEXEC) with O_NONBLOCK on your end only, ignore = /dev/null, "
            "inherit = -1; every fd held by an FdGuard. Then start_process() and open_pidfd(), and release() "
            "your ends (all in launch_support.hpp; hints 1-3)");
}

}  // namespace kata::child_process
