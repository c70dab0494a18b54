/*===- parallel.c - The kernels' thread pool -------------------------------===*
 *
 * dsc_kernels_set_threads(n) gives the float conv and matmul kernels n
 * threads (process-wide; 1, the default, runs everything on the caller).
 * The pool's n - 1 workers are created once, at the first parallel call,
 * and wait on a condition variable; a parallel call hands them a task
 * (a function, its argument and a part count), runs part 0 itself and
 * waits until every part is done. Calls are serialised by a mutex: the
 * kernels of one model run one after another anyway.
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L

#include "kernels_internal.h"

#include <pthread.h>

#define MAX_THREADS 64

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;    /* one call at a time */
static pthread_mutex_t g_state = PTHREAD_MUTEX_INITIALIZER;   /* guards below */
static pthread_cond_t g_work = PTHREAD_COND_INITIALIZER;
static pthread_cond_t g_done = PTHREAD_COND_INITIALIZER;
static int g_threads = 1;         /* requested */
static int g_workers;             /* started */
static unsigned long g_generation; /* bumped per task */
static dsc_task_fn g_fn;
static void *g_arg;
static int g_parts, g_next, g_pending;

static void run_parts(void) {
  for (;;) {
    pthread_mutex_lock(&g_state);
    int part = g_next < g_parts ? g_next++ : -1;
    pthread_mutex_unlock(&g_state);
    if (part < 0)
      return;
    g_fn(g_arg, part, g_parts);
    pthread_mutex_lock(&g_state);
    if (--g_pending == 0)
      pthread_cond_broadcast(&g_done);
    pthread_mutex_unlock(&g_state);
  }
}

static void *worker(void *unused) {
  (void)unused;
  unsigned long seen = 0;
  pthread_mutex_lock(&g_state);
  for (;;) {
    while (g_generation == seen)
      pthread_cond_wait(&g_work, &g_state);
    seen = g_generation;
    pthread_mutex_unlock(&g_state);
    run_parts();
    pthread_mutex_lock(&g_state);
  }
  return NULL;
}

void dsc_kernels_set_threads(int n) {
  pthread_mutex_lock(&g_lock);
  g_threads = n < 1 ? 1 : (n > MAX_THREADS ? MAX_THREADS : n);
  pthread_mutex_unlock(&g_lock);
}

int dsc_kernels_threads(void) { return g_threads; }

void dsc_parallel_for(dsc_task_fn fn, void *arg, int parts) {
  if (parts <= 1 || g_threads <= 1) {
    for (int i = 0; i < parts; ++i)
      fn(arg, i, parts);
    return;
  }
  pthread_mutex_lock(&g_lock);
  while (g_workers < g_threads - 1) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, worker, NULL) != 0)
      break; /* fewer workers: the caller runs more parts */
    pthread_detach(thread);
    ++g_workers;
  }
  pthread_mutex_lock(&g_state);
  g_fn = fn;
  g_arg = arg;
  g_parts = parts;
  g_next = 0;
  g_pending = parts;
  ++g_generation;
  pthread_cond_broadcast(&g_work);
  pthread_mutex_unlock(&g_state);
  run_parts();
  pthread_mutex_lock(&g_state);
  while (g_pending > 0)
    pthread_cond_wait(&g_done, &g_state);
  pthread_mutex_unlock(&g_state);
  pthread_mutex_unlock(&g_lock);
}
