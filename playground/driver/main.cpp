// playground_driver — the C++ half of the JavaScript playground.
//
//   playground_driver -- node playground/js/host.js FILE.js [options]
//
// Starts the command after `--` (the JavaScript host) with two pipes: fd 3
// (driver → host) and fd 4 (host → driver). The host runs the JavaScript;
// this process owns the event loop and decides every order: the host asks
// for "P" (a program), the driver runs it on a fresh kata::node::Loop (the
// one this binary was linked with: the reference runtime or yours) and
// reports the end; "B" ends the driver. Exit status: the host's.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "session.hpp"
#include "wire.hpp"

namespace {

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int sep = 1;
  while (sep < argc && std::strcmp(argv[sep], "--") != 0) ++sep;
  if (sep + 1 >= argc) {
    std::fprintf(stderr, "usage: %s -- node playground/js/host.js FILE.js [options]\n", argv[0]);
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  int to_host[2], from_host[2];
  if (::pipe2(to_host, O_CLOEXEC) < 0 || ::pipe2(from_host, O_CLOEXEC) < 0) {
    std::perror("pipe2");
    return 2;
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("fork");
    return 2;
  }
  if (pid == 0) {
    // fd 3: what the driver sends; fd 4: what the host answers.
    int in = ::dup(to_host[0]), out = ::dup(from_host[1]);
    ::dup2(in, 3);
    ::dup2(out, 4);
    std::vector<char*> args(argv + sep + 1, argv + argc);
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "playground_driver: cannot start %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  ::close(to_host[0]);
  ::close(from_host[1]);
  playground::Wire wire(from_host[0], to_host[1]);
  try {
    for (;;) {
      playground::Message m = wire.read();
      if (m.tag == 'B') break;
      if (m.tag != 'P') continue;
      // P legacy startup_ms start_ms trace
      playground::Options o;
      o.legacy = m.num(0) != 0;
      o.startup_ms = m.num(1);
      o.start_ms = m.num(2);
      o.trace = m.num(3) != 0;
      playground::Session session(wire, o);
      session.run();
    }
  } catch (const std::exception&) {
    // The host went away (it printed why); its exit status says the rest.
  }
  ::close(to_host[1]);
  ::close(from_host[0]);
  return wait_child(pid);
}
