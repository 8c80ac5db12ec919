#include "launcher.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "boost_process_v1.hpp"  // the only file that includes Boost.Process
#include "kata/todo.hpp"

extern char** environ;

namespace kata::child_process {

Launched launch(const LaunchRequest& request) {
  (void)request;
  KATA_TODO("pipes with pipe2(O_CLOEXEC) (O_NONBLOCK on your ends only); bp::child with bp::exe, bp::args, "
            "extend::on_setup setting exec.env to your own K=V char* array (not bp::env: Boost 1.74 reads past "
            "short entries), bp::error (an error_code), extend::on_exec_setup (dup2 stdio, chdir, close_range "
            "CLOEXEC, signals to SIG_DFL, empty mask) and extend::on_error (remember exec.pid to reap it); "
            "detach(); pidfd_open (hints 1-3)");
}

std::optional<ExitStatus> reap(pid_t pid) {
  (void)pid;
  KATA_TODO("waitpid(pid, &status, WNOHANG): 0 = still running; decode WIFEXITED/WIFSIGNALED yourself (hint 4)");
}

ExitStatus reap_blocking(pid_t pid) {
  (void)pid;
  KATA_TODO("waitpid(pid, &status, 0), retrying on EINTR");
}

}  // namespace kata::child_process
