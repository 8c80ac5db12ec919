/* kata-outcap: runs one test command and caps what it may print.
 *
 * The grader builds the pristine kata with CMAKE_CROSSCOMPILING_EMULATOR set
 * to this program, so every test (and gtest's test discovery) runs as
 * `kata-outcap BINARY ARGS...`. ctest keeps a test's whole output in memory
 * before it truncates it (a test printing 1 GB costs ctest 2 GB), so the cap
 * must sit between the test and ctest:
 *
 *   - the first 32 KiB of stdout+stderr are passed on as they come and the last
 *     16 KiB at the end, with a note of what was left out between them (so the
 *     whole stays below the 64 KiB ctest keeps of a failed test, note included);
 *   - past KATA_OUTCAP_BYTES (default 1 MiB) in all, the test's process group
 *     is killed and the test fails with "output cut";
 *   - after KATA_OUTCAP_SECONDS (default: none) the group is killed too, a
 *     backstop below ctest's own timeout (which kills only its direct child);
 *   - when the test ends, whatever it left in its process group (a fork bomb's
 *     children) is killed, and the test's exit status or signal is passed on,
 *     so ctest still tells a crash from a failure.
 * The test gets a pipe of its own, never ctest's: an orphan holding it open
 * cannot keep ctest waiting.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { HEAD = 32 << 10, TAIL = 16 << 10 };
static pid_t child = -1;
static char tail[TAIL];
static long long tail_len = 0;     /* bytes ever stored in the ring */

static void kill_group(void) {
  if (child > 0) {
    for (int i = 0; i < 50 && kill(-child, SIGKILL) == 0; ++i) usleep(1000);
  }
}

static void on_signal(int sig) {
  kill_group();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(STDOUT_FILENO, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += w;
    n -= (size_t)w;
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: kata-outcap COMMAND [ARGS...]\n");
    return 2;
  }
  const char *b = getenv("KATA_OUTCAP_BYTES"), *s = getenv("KATA_OUTCAP_SECONDS");
  long long cap = b && *b ? atoll(b) : 1LL << 20;
  double limit = s && *s ? atof(s) : 0.0;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) { perror("kata-outcap: pipe"); return 2; }
  pid_t parent = getpid();
  child = fork();
  if (child < 0) { perror("kata-outcap: fork"); return 2; }
  if (child == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "kata-outcap: cannot run %s: %s\n", argv[1], strerror(errno));
    _exit(127);
  }
  setpgid(child, child);
  close(fds[1]);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGHUP, on_signal);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);

  char buf[65536];
  long long seen = 0;
  int status = 0, exited = 0, cut = 0, timed_out = 0, eof = 0;
  double deadline = limit > 0 ? now() + limit : 0;
  while (!eof || !exited) {
    if (!exited) {
      pid_t r = waitpid(child, &status, WNOHANG);
      if (r == child) exited = 1;
    }
    struct pollfd p = {fds[0], POLLIN, 0};
    int ready = eof ? 0 : poll(&p, 1, exited ? 0 : 50);
    if (ready > 0) {
      for (;;) {
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n == 0) { eof = 1; break; }
        if (n < 0) break;   /* EAGAIN: nothing more for now */
        for (ssize_t i = 0; i < n; ++i) {
          if (seen + i < HEAD) continue;
          tail[tail_len % TAIL] = buf[i];
          ++tail_len;
        }
        if (seen < HEAD) write_all(buf, (size_t)(n < HEAD - seen ? n : HEAD - seen));
        seen += n;
        if (seen > cap) { cut = 1; break; }
      }
    } else if (!eof && exited) {
      break;              /* it ended; an orphan may hold the pipe: stop reading */
    } else if (eof && !exited) {
      usleep(10000);
    }
    if (cut) break;
    if (deadline > 0 && now() > deadline) { timed_out = 1; break; }
  }
  kill_group();
  if (!exited) waitpid(child, &status, 0);
  if (!cut && seen > HEAD) {
    long long keep = tail_len < TAIL ? tail_len : TAIL;
    char note[160];
    int n = snprintf(note, sizeof note, "\n[kata grader: %lld bytes of output left out here]\n", seen - HEAD - keep);
    if (seen - HEAD > keep) write_all(note, (size_t)n);
    for (long long i = tail_len - keep; i < tail_len; ++i) write_all(&tail[i % TAIL], 1);
  }
  if (cut) {
    char note[160];
    int n = snprintf(note, sizeof note,
                     "\n\xe2\x9c\x97 output cut: the test printed more than %lld bytes; the grader stopped it\n", cap);
    write_all(note, (size_t)n);
    return 1;
  }
  if (timed_out) {
    char note[160];
    int n = snprintf(note, sizeof note, "\n\xe2\x9c\x97 hang: the grader stopped the test after %g s\n", limit);
    write_all(note, (size_t)n);
    return 1;
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    return 128 + sig;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
