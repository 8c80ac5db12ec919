/* libuv on the workloads of bench/loop/run.sh, where libuv has an
 * equivalent: Node's setImmediate is a uv_check_t callback (plus an idle
 * handle so poll does not block), its timers are uv_timer_t. nextTick and
 * promise reactions live in Node/V8, not libuv: "n/a".
 * Prints "<workload> <ops per second>" per line. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <uv.h>

#define N 1000000

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int done;
static int quiet; /* the warm-up run prints nothing */

/* 1M immediates queued at once: 1M check handles, each runs once. */
static void once_check_cb(uv_check_t* h) {
  ++done;
  uv_check_stop(h);
}
static void idle_noop(uv_idle_t* h) { (void)h; }

static void immediates_at_once(void) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_check_t* checks = malloc(sizeof(uv_check_t) * N);
  uv_idle_t idle;
  done = 0;
  double t0 = now_s();
  for (int i = 0; i < N; i++) {
    uv_check_init(&loop, &checks[i]);
    uv_check_start(&checks[i], once_check_cb);
  }
  uv_idle_init(&loop, &idle);
  uv_idle_start(&idle, idle_noop);
  uv_run(&loop, UV_RUN_ONCE); /* one iteration runs them all */
  double secs = now_s() - t0;
  uv_idle_stop(&idle);
  if (!quiet) printf("immediates_at_once %.0f\n", N / secs);
  if (done != N) fprintf(stderr, "uv immediates_at_once: %d of %d\n", done, N);
  for (int i = 0; i < N; i++) uv_close((uv_handle_t*)&checks[i], NULL);
  uv_close((uv_handle_t*)&idle, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  free(checks);
}

/* 1M chained immediates: one per iteration (a check handle that counts,
 * an idle handle so the loop never blocks — what Node does). */
static uv_idle_t chain_idle;
static void chain_check_cb(uv_check_t* h) {
  if (++done == N) {
    uv_check_stop(h);
    uv_idle_stop(&chain_idle);
  }
}

static void immediates_chained(void) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_check_t check;
  done = 0;
  double t0 = now_s();
  uv_check_init(&loop, &check);
  uv_check_start(&check, chain_check_cb);
  uv_idle_init(&loop, &chain_idle);
  uv_idle_start(&chain_idle, idle_noop);
  uv_run(&loop, UV_RUN_DEFAULT);
  double secs = now_s() - t0;
  if (!quiet) printf("immediates_chained %.0f\n", N / secs);
  uv_close((uv_handle_t*)&check, NULL);
  uv_close((uv_handle_t*)&chain_idle, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
}

/* 1M timers over 50 distinct durations (1..50 ms). */
static void timer_cb(uv_timer_t* t) {
  (void)t;
  ++done;
}

static void timers(void) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_timer_t* ts = malloc(sizeof(uv_timer_t) * N);
  done = 0;
  double t0 = now_s();
  for (int i = 0; i < N; i++) {
    uv_timer_init(&loop, &ts[i]);
    uv_timer_start(&ts[i], timer_cb, 1 + i % 50, 0);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  double secs = now_s() - t0;
  if (!quiet) printf("timers_50_durations %.0f\n", N / secs);
  if (done != N) fprintf(stderr, "uv timers: %d of %d\n", done, N);
  for (int i = 0; i < N; i++) uv_close((uv_handle_t*)&ts[i], NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  free(ts);
}

int main(void) {
  /* Measured warm, like the reference (bench/loop/loop_bench.cpp) and node:
   * glibc would otherwise give the freed 1M-handle arrays back to the kernel
   * (they are mmap'd: > M_MMAP_THRESHOLD) and the measured run would pay the
   * first-touch page faults again. Keep freed memory in the process. */
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  printf("next_tick n/a\n");
  printf("promise_then n/a\n");
  /* Each workload twice: the first warms the allocator up (not printed). */
  void (*workloads[])(void) = {immediates_at_once, immediates_chained, timers};
  for (int i = 0; i < 3; i++) {
    quiet = 1;
    workloads[i]();
    quiet = 0;
    workloads[i]();
  }
  return 0;
}
