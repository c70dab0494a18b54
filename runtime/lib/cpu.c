/*===- cpu.c - Run-time CPU feature checks -------------------------------===*
 *
 * x86-64: cpuid, and xgetbv for the OS's support of the AVX/AVX-512 register
 * state. AArch64 Linux: getauxval(AT_HWCAP/AT_HWCAP2). No state is cached:
 * the check runs when an instance is created or the harness starts.
 *===----------------------------------------------------------------------===*/

#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1 /* getauxval */
#endif

#include "dsc/runtime.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define DSC_X86 1
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#define DSC_AARCH64 1
#endif

typedef struct {
  const char *name;
  int word; /* which feature word */
  int bit;
} feature_entry;

#if defined(DSC_X86)

enum {
  W1_ECX,   /* cpuid(1).ecx */
  W1_EDX,   /* cpuid(1).edx */
  W7_EBX,   /* cpuid(7,0).ebx */
  W7_ECX,   /* cpuid(7,0).ecx */
  W7_EDX,   /* cpuid(7,0).edx */
  W71_EAX,  /* cpuid(7,1).eax */
  W81_ECX,  /* cpuid(0x80000001).ecx */
  NUM_WORDS
};

static const feature_entry kFeatures[] = {
    {"sse2", W1_EDX, 26},       {"sse3", W1_ECX, 0},
    {"ssse3", W1_ECX, 9},       {"sse4.1", W1_ECX, 19},
    {"sse4.2", W1_ECX, 20},     {"popcnt", W1_ECX, 23},
    {"movbe", W1_ECX, 22},      {"fma", W1_ECX, 12},
    {"avx", W1_ECX, 28},        {"f16c", W1_ECX, 29},
    {"avx2", W7_EBX, 5},        {"bmi", W7_EBX, 3},
    {"bmi2", W7_EBX, 8},        {"avx512f", W7_EBX, 16},
    {"avx512dq", W7_EBX, 17},   {"avx512cd", W7_EBX, 28},
    {"avx512bw", W7_EBX, 30},   {"avx512vl", W7_EBX, 31},
    {"avx512vbmi", W7_ECX, 1},  {"avx512vnni", W7_ECX, 11},
    {"avx512fp16", W7_EDX, 23}, {"avxvnni", W71_EAX, 4},
    {"avx512bf16", W71_EAX, 5}, {"lzcnt", W81_ECX, 5},
};

static uint64_t read_xcr0(void) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t)hi << 32) | lo;
}

/* Reads the feature words, clearing the AVX and AVX-512 bits the OS does not
   enable (XCR0), since using them would fault. */
static void read_words(uint32_t words[NUM_WORDS]) {
  unsigned a, b, c, d;
  memset(words, 0, NUM_WORDS * sizeof(uint32_t));
  unsigned max = __get_cpuid_max(0, NULL);
  if (max >= 1 && __get_cpuid(1, &a, &b, &c, &d)) {
    words[W1_ECX] = c;
    words[W1_EDX] = d;
  }
  if (max >= 7 && __get_cpuid_count(7, 0, &a, &b, &c, &d)) {
    words[W7_EBX] = b;
    words[W7_ECX] = c;
    words[W7_EDX] = d;
    if (a >= 1 && __get_cpuid_count(7, 1, &a, &b, &c, &d))
      words[W71_EAX] = a;
  }
  if (__get_cpuid_max(0x80000000u, NULL) >= 0x80000001u &&
      __get_cpuid(0x80000001u, &a, &b, &c, &d))
    words[W81_ECX] = c;

  int osxsave = (words[W1_ECX] >> 27) & 1;
  uint64_t xcr0 = osxsave ? read_xcr0() : 0;
  int avx_os = (xcr0 & 0x6) == 0x6;       /* XMM and YMM state */
  int avx512_os = (xcr0 & 0xe6) == 0xe6;  /* + opmask, ZMM_Hi256, Hi16_ZMM */
  if (!avx_os) {
    words[W1_ECX] &= ~((1u << 28) | (1u << 12) | (1u << 29)); /* avx fma f16c */
    words[W7_EBX] &= ~(1u << 5);                              /* avx2 */
    words[W71_EAX] &= ~(1u << 4);                             /* avxvnni */
  }
  if (!avx512_os) {
    words[W7_EBX] &= ~((1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) |
                       (1u << 31));
    words[W7_ECX] &= ~((1u << 1) | (1u << 11));
    words[W7_EDX] &= ~(1u << 23);
    words[W71_EAX] &= ~(1u << 5);
  }
}

#define NUM_FEATURE_WORDS NUM_WORDS

#elif defined(DSC_AARCH64)

#ifndef AT_HWCAP2
#define AT_HWCAP2 26
#endif

enum { HW1, HW2, NUM_FEATURE_WORDS };

/* Bit numbers from the kernel's arch/arm64/include/uapi/asm/hwcap.h. */
static const feature_entry kFeatures[] = {
    {"fp", HW1, 0},        {"fp-armv8", HW1, 0},  {"neon", HW1, 1},
    {"asimd", HW1, 1},     {"aes", HW1, 3},       {"sha2", HW1, 6},
    {"crc", HW1, 7},       {"lse", HW1, 8},       {"fp16", HW1, 9},
    {"fullfp16", HW1, 9},  {"dotprod", HW1, 20},  {"asimddp", HW1, 20},
    {"sve", HW1, 22},      {"sve2", HW2, 1},      {"i8mm", HW2, 13},
    {"bf16", HW2, 14},
};

static void read_words(uint32_t words[NUM_FEATURE_WORDS]) {
  unsigned long h1 = getauxval(AT_HWCAP), h2 = getauxval(AT_HWCAP2);
  words[HW1] = (uint32_t)h1;
  words[HW2] = (uint32_t)h2;
  /* fp16 means scalar (FPHP, bit 9) and vector (ASIMDHP, bit 10) half
     precision: keep bit 9 only when both are present. */
  if (!((h1 >> 10) & 1))
    words[HW1] &= ~(1u << 9);
}

#else

enum { NUM_FEATURE_WORDS = 1 };
static const feature_entry kFeatures[] = {{"", 0, 0}};
static void read_words(uint32_t words[NUM_FEATURE_WORDS]) { words[0] = 0; }

#endif

static int has_feature(const uint32_t *words, const char *name, size_t len) {
  for (size_t i = 0; i < sizeof(kFeatures) / sizeof(kFeatures[0]); ++i) {
    const feature_entry *f = &kFeatures[i];
    if (strlen(f->name) == len && len > 0 && memcmp(f->name, name, len) == 0)
      return (words[f->word] >> f->bit) & 1;
  }
  return 0; /* unknown names are never supported */
}

/* Appends "name" (comma-separated) to missing, truncating safely. */
static void append_missing(char *missing, size_t size, size_t *used,
                           const char *name, size_t len) {
  if (!missing || size == 0)
    return;
  if (*used > 0 && *used + 1 < size)
    missing[(*used)++] = ',';
  size_t room = size - 1 - *used;
  size_t n = len < room ? len : room;
  memcpy(missing + *used, name, n);
  *used += n;
  missing[*used] = '\0';
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int dsc_cpu_supports(const char *features, char *missing, size_t missing_size) {
  if (missing && missing_size > 0)
    missing[0] = '\0';
  if (!features || !*features)
    return 1;
  uint32_t words[NUM_FEATURE_WORDS];
  read_words(words);
  size_t used = 0;
  int ok = 1;
  const char *p = features;
  while (*p) {
    const char *end = p + strcspn(p, ",");
    const char *b = p, *e = end;
    while (b < e && is_space(*b))
      ++b;
    while (e > b && is_space(e[-1]))
      --e;
    if (b < e && *b == '-') { /* LLVM's "-feat": not needed */
      p = *end ? end + 1 : end;
      continue;
    }
    if (b < e && *b == '+')
      ++b;
    if (b < e && !has_feature(words, b, (size_t)(e - b))) {
      ok = 0;
      append_missing(missing, missing_size, &used, b, (size_t)(e - b));
    }
    p = *end ? end + 1 : end;
  }
  return ok;
}
