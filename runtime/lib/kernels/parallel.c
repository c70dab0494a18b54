/*===- parallel.c - The kernels' thread pool -------------------------------===*
 *
 * dsc_kernels_set_threads(n) gives the float conv and matmul kernels n
 * threads (process-wide; 1, the default, runs everything on the caller).
 * The pool's n - 1 workers are created once, at the first parallel call.
 * A parallel call publishes a task (a function, its argument and a part
 * count) under a new generation number, runs parts itself, and waits
 * until every part is done.
 *
 * Handing over must cost far less than a kernel call: between two calls of
 * one model the workers spin on the generation number (with a pause
 * instruction) for DSC_SPIN_NS nanoseconds, and only then sleep on a
 * condition variable, so a model's back-to-back calls find them awake and
 * an idle process does not keep a core busy.
 * The caller waits for the last part by spinning too.
 *
 * Parts are claimed from one 64-bit ticket, generation << 32 | parts << 16
 * | next part, with compare-and-swap: a worker that wakes late, after its
 * generation's parts are all taken, can claim nothing of the next task by
 * mistake. Calls are serialised by a mutex: the kernels of one model run
 * one after another anyway.
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L

#include "kernels_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define MAX_THREADS 64
#define DSC_SPIN_NS 2000000 /* 2 ms */

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;  /* one call at a time */
static pthread_mutex_t g_sleep = PTHREAD_MUTEX_INITIALIZER; /* with g_work */
static pthread_cond_t g_work = PTHREAD_COND_INITIALIZER;
static int g_threads = 1; /* requested */
static int g_workers;     /* started */

static _Atomic uint32_t g_generation;
static _Atomic uint64_t g_ticket;
static _Atomic int g_pending;
static _Atomic int g_sleepers;
/* The task of the current generation: written before the generation is
   published, read only by whoever holds one of its unfinished parts. */
static dsc_task_fn g_fn;
static void *g_arg;

/* Claims and runs parts of generation `generation` until none is left. */
static void run_parts(uint32_t generation) {
  for (;;) {
    uint64_t ticket = atomic_load_explicit(&g_ticket, memory_order_acquire);
    uint32_t parts, next;
    do {
      if ((uint32_t)(ticket >> 32) != generation)
        return;
      parts = (uint32_t)(ticket >> 16) & 0xffff;
      next = (uint32_t)ticket & 0xffff;
      if (next >= parts)
        return;
    } while (!atomic_compare_exchange_weak_explicit(&g_ticket, &ticket, ticket + 1,
                                                    memory_order_acq_rel,
                                                    memory_order_acquire));
    g_fn(g_arg, (int)next, (int)parts);
    atomic_fetch_sub_explicit(&g_pending, 1, memory_order_release);
  }
}

static void *worker(void *unused) {
  (void)unused;
  uint32_t seen = atomic_load_explicit(&g_generation, memory_order_acquire);
  for (;;) {
    uint32_t generation;
    int64_t deadline = now_ns() + DSC_SPIN_NS;
    for (unsigned spins = 1;
         (generation = atomic_load_explicit(&g_generation, memory_order_acquire)) == seen;
         ++spins) {
      cpu_relax();
      if (spins % 256 == 0 && now_ns() > deadline)
        break;
    }
    if (generation == seen) {
      pthread_mutex_lock(&g_sleep);
      atomic_fetch_add(&g_sleepers, 1);
      while ((generation = atomic_load(&g_generation)) == seen)
        pthread_cond_wait(&g_work, &g_sleep);
      atomic_fetch_sub(&g_sleepers, 1);
      pthread_mutex_unlock(&g_sleep);
    }
    seen = generation;
    run_parts(generation);
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
  if (parts > 0xffff)
    parts = 0xffff; /* never: the kernels split into at most MAX_THREADS parts */
  pthread_mutex_lock(&g_lock);
  while (g_workers < g_threads - 1) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, worker, NULL) != 0)
      break; /* fewer workers: the caller runs more parts */
    pthread_detach(thread);
    ++g_workers;
  }
  g_fn = fn;
  g_arg = arg;
  atomic_store_explicit(&g_pending, parts, memory_order_relaxed);
  uint32_t generation = atomic_load_explicit(&g_generation, memory_order_relaxed) + 1;
  atomic_store_explicit(&g_ticket, (uint64_t)generation << 32 | (uint64_t)parts << 16,
                        memory_order_release);
  /* Sequentially consistent, like the sleepers' count: either a worker
     going to sleep sees the new generation, or the count shows it here. */
  atomic_store(&g_generation, generation);
  if (atomic_load(&g_sleepers) > 0) {
    pthread_mutex_lock(&g_sleep);
    pthread_cond_broadcast(&g_work);
    pthread_mutex_unlock(&g_sleep);
  }
  run_parts(generation);
  while (atomic_load_explicit(&g_pending, memory_order_acquire) > 0)
    cpu_relax();
  pthread_mutex_unlock(&g_lock);
}
