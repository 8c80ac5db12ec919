// The small programs chapter 4's tests spawn, one mode per argv[1] (like the
// CS:APP lab drivers' helpers: each does one predictable thing).
//
//   echo ARG...         each ARG on its own line, byte for byte
//   cat                 stdin to stdout until EOF
//   bytes N [out|err]   N bytes of 'x' on stdout (or stderr)
//   chunks N MS         "chunk i\n" N times, MS milliseconds apart
//   ping N              "chunk i\n", then wait for a line on stdin, N times
//   sleep MS            sleep, then exit 0
//   exit CODE [TEXT]    write TEXT to stderr, exit with CODE
//   die SIGNAL          kill itself with SIGNAL (a number)
//   ignore-term         ignore SIGTERM, say "ready", sleep 10 s
//   bad-utf8            bytes that are not UTF-8
//   env NAME            the variable's value, or "(unset)"
//   cwd                 the working directory
//   fds                 its open fds above 2 (none expected: nothing leaks in)
//   sigstate            "SIGPIPE=default|ignored mask=empty|blocked"
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "pdeathsig.hpp"

namespace {

void write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      ::_exit(120);  // EPIPE etc.: the reader went away
    }
    p += w;
    n -= size_t(w);
  }
}
void write_str(int fd, const std::string& s) { write_all(fd, s.data(), s.size()); }
void sleep_ms(long ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

int usage() {
  write_str(2, "ch4_helper: unknown mode\n");
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  kata_helpers::die_with_parent();
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  if (mode == "echo") {
    for (int i = 2; i < argc; ++i) write_str(1, std::string(argv[i]) + "\n");
  } else if (mode == "cat") {
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(0, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      write_all(1, buf, size_t(n));
    }
  } else if (mode == "bytes" && argc >= 3) {
    const long n = std::atol(argv[2]);
    const int fd = (argc >= 4 && std::strcmp(argv[3], "err") == 0) ? 2 : 1;
    const std::string block(65536, 'x');
    for (long left = n; left > 0; left -= long(block.size()))
      write_all(fd, block.data(), size_t(std::min<long>(left, long(block.size()))));
  } else if (mode == "chunks" && argc >= 4) {
    const int n = std::atoi(argv[2]);
    for (int i = 1; i <= n; ++i) {
      write_str(1, "chunk " + std::to_string(i) + "\n");
      if (i < n) sleep_ms(std::atol(argv[3]));
    }
  } else if (mode == "ping" && argc >= 3) {
    // Lock-step with the parent: the next chunk only after it answered, so
    // each chunk is its own read whatever the machine's load.
    const int n = std::atoi(argv[2]);
    for (int i = 1; i <= n; ++i) {
      write_str(1, "chunk " + std::to_string(i) + "\n");
      char c = 0;
      while (c != '\n') {
        const ssize_t r = ::read(0, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return 0;  // the parent closed our stdin
      }
    }
  } else if (mode == "sleep" && argc >= 3) {
    sleep_ms(std::atol(argv[2]));
  } else if (mode == "exit" && argc >= 3) {
    if (argc >= 4) write_str(2, argv[3]);
    return std::atoi(argv[2]);
  } else if (mode == "die" && argc >= 3) {
    ::signal(std::atoi(argv[2]), SIG_DFL);
    ::raise(std::atoi(argv[2]));
    return 100;  // not reached for a fatal signal
  } else if (mode == "ignore-term") {
    ::signal(SIGTERM, SIG_IGN);
    write_str(1, "ready\n");
    sleep_ms(10'000);
  } else if (mode == "bad-utf8") {
    write_all(1, "\xff\xfe\xc3(\n", 5);
  } else if (mode == "env" && argc >= 3) {
    const char* v = std::getenv(argv[2]);
    write_str(1, v ? std::string(v) + "\n" : "(unset)\n");
  } else if (mode == "cwd") {
    char buf[4096];
    if (::getcwd(buf, sizeof buf) == nullptr) return 2;
    write_str(1, std::string(buf) + "\n");
  } else if (mode == "fds") {
    DIR* d = ::opendir("/proc/self/fd");
    const int own = ::dirfd(d);
    std::string out;
    while (dirent* e = ::readdir(d)) {
      const int fd = std::atoi(e->d_name);
      if (e->d_name[0] == '.' || fd == own || fd <= 2) continue;
      out += std::to_string(fd) + " ";
    }
    ::closedir(d);
    write_str(1, "fds: " + out + "\n");
  } else if (mode == "sigstate") {
    struct sigaction sa {};
    ::sigaction(SIGPIPE, nullptr, &sa);
    sigset_t mask;
    ::sigprocmask(SIG_SETMASK, nullptr, &mask);
    bool blocked = false;
    for (int s = 1; s < NSIG; ++s) blocked = blocked || sigismember(&mask, s) == 1;
    write_str(1, std::string("SIGPIPE=") + (sa.sa_handler == SIG_IGN ? "ignored" : "default") +
                     " mask=" + (blocked ? "blocked" : "empty") + "\n");
  } else {
    return usage();
  }
  return 0;
}
