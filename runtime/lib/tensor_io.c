/*===- tensor_io.c - .npy reader/writer and ONNX TensorProto reader -------===*
 *
 * Hand-written so the runtime depends on libc only. The inputs are untrusted
 * (and fuzzed): every length is checked against the bytes present before it
 * is used, sizes are computed with overflow checks, and nothing is allocated
 * before the file is known to hold that many bytes.
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L

#include "dsc/tensor_io.h"
#include "dsc/runtime.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the dsc runtime's tensor I/O assumes a little-endian host"
#endif

/* numpy itself refuses headers over 10000 bytes by default; allow more but
   keep a cap so a corrupt length cannot make us allocate gigabytes. */
#define NPY_MAX_HEADER (1u << 20)

static void set_err(char *err, size_t err_size, const char *fmt, ...) {
  if (!err || err_size == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, err_size, fmt, ap);
  va_end(ap);
}

void dsc_tensor_free(dsc_tensor *t) {
  if (!t)
    return;
  if (t->owns_data)
    free(t->data);
  memset(t, 0, sizeof(*t));
}

/* Sets num_elements/num_bytes from dtype and shape, overflow-checked. */
static int compute_sizes(dsc_tensor *t, char *err, size_t err_size) {
  size_t elem = dsc_dtype_size(t->dtype);
  if (elem == 0) {
    set_err(err, err_size, "unsupported data type %d", (int)t->dtype);
    return -1;
  }
  uint64_t n = 1;
  for (int32_t i = 0; i < t->rank; ++i) {
    int64_t d = t->shape[i];
    if (d < 0) {
      set_err(err, err_size, "negative dimension %lld", (long long)d);
      return -1;
    }
    if (d != 0 && n > UINT64_MAX / (uint64_t)d) {
      set_err(err, err_size, "the element count overflows");
      return -1;
    }
    n *= (uint64_t)d;
  }
  if (n > SIZE_MAX / elem) {
    set_err(err, err_size, "the byte size overflows");
    return -1;
  }
  t->num_elements = n;
  t->num_bytes = (size_t)n * elem;
  return 0;
}

/* Points t->data at the caller's buffer or a fresh allocation. */
static int attach_buffer(dsc_tensor *t, void *buffer, size_t buffer_size,
                         char *err, size_t err_size) {
  if (buffer) {
    if (buffer_size < t->num_bytes) {
      set_err(err, err_size,
              "the tensor needs %zu bytes but the buffer has %zu",
              t->num_bytes, buffer_size);
      return -1;
    }
    t->data = buffer;
    t->owns_data = 0;
    return 0;
  }
  t->data = malloc(t->num_bytes ? t->num_bytes : 1);
  if (!t->data) {
    set_err(err, err_size, "out of memory allocating %zu bytes", t->num_bytes);
    return -1;
  }
  t->owns_data = 1;
  return 0;
}

/* Opens a regular file for reading and returns its size. */
static FILE *open_regular(const char *path, uint64_t *size, char *err,
                          size_t err_size) {
  if (!path) {
    set_err(err, err_size, "no file name");
    return NULL;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    set_err(err, err_size, "cannot open: %s", strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0) {
    set_err(err, err_size, "cannot stat: %s", strerror(errno));
    fclose(f);
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    set_err(err, err_size, "not a regular file");
    fclose(f);
    return NULL;
  }
  *size = (uint64_t)st.st_size;
  return f;
}

static int read_exact(FILE *f, void *dst, size_t n, char *err,
                      size_t err_size) {
  if (n == 0)
    return 0;
  if (fread(dst, 1, n, f) != n) {
    set_err(err, err_size, "%s",
            ferror(f) ? "read error" : "the file is shorter than its size");
    return -1;
  }
  return 0;
}

/*===----------------------------------------------------------------------===*
 * .npy
 *===----------------------------------------------------------------------===*/

static const char kNpyMagic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

/* Parses the fixed preamble in p[0, n). On success sets the header length
   and the offset where the header starts. */
static int npy_preamble(const unsigned char *p, size_t n, size_t *header_len,
                        size_t *header_off, char *err, size_t err_size) {
  if (n == 0) {
    set_err(err, err_size, "empty file (not a .npy file)");
    return -1;
  }
  if (n < 8) {
    int prefix = memcmp(p, kNpyMagic, n < 6 ? n : 6) == 0;
    set_err(err, err_size, "%s",
            prefix ? "truncated .npy preamble" : "not a .npy file (bad magic)");
    return -1;
  }
  if (memcmp(p, kNpyMagic, 6) != 0) {
    set_err(err, err_size, "not a .npy file (bad magic)");
    return -1;
  }
  unsigned major = p[6], minor = p[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    set_err(err, err_size, "unsupported .npy format version %u.%u", major,
            minor);
    return -1;
  }
  if (major == 1) {
    if (n < 10) {
      set_err(err, err_size, "truncated .npy preamble");
      return -1;
    }
    *header_len = (size_t)p[8] | ((size_t)p[9] << 8);
    *header_off = 10;
  } else {
    if (n < 12) {
      set_err(err, err_size, "truncated .npy preamble");
      return -1;
    }
    uint32_t len = (uint32_t)p[8] | ((uint32_t)p[9] << 8) |
                   ((uint32_t)p[10] << 16) | ((uint32_t)p[11] << 24);
    *header_len = (size_t)len;
    *header_off = 12;
  }
  return 0;
}

typedef struct {
  const char *p, *end;
} text_cursor;

static void skip_ws(text_cursor *c) {
  while (c->p < c->end &&
         (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    ++c->p;
}

/* A Python string literal without escapes, in ' or ". */
static int parse_pystr(text_cursor *c, const char **s, size_t *len) {
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return -1;
  char q = *c->p++;
  const char *b = c->p;
  while (c->p < c->end && *c->p != q) {
    if (*c->p == '\\')
      return -1;
    ++c->p;
  }
  if (c->p >= c->end)
    return -1;
  *s = b;
  *len = (size_t)(c->p - b);
  ++c->p;
  return 0;
}

static int match_word(text_cursor *c, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
    return 0;
  c->p += n;
  return 1;
}

static int str_eq(const char *s, size_t len, const char *lit) {
  return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

/* Maps a numpy descr to a dsc dtype; returns 0 and a message when it cannot
   be read. */
static int32_t npy_dtype(const char *d, size_t len, char *err,
                         size_t err_size) {
  if (len < 2 || len > 8) {
    set_err(err, err_size, "unsupported dtype '%.*s'", (int)(len < 32 ? len : 32),
            d);
    return 0;
  }
  char order = d[0];
  const char *code = d + 1;
  size_t clen = len - 1;
  if (order != '<' && order != '>' && order != '|' && order != '=') {
    set_err(err, err_size, "unsupported dtype '%.*s'", (int)len, d);
    return 0;
  }
  if (code[0] == 'O') {
    set_err(err, err_size, "object arrays are not supported (dtype '%.*s')",
            (int)len, d);
    return 0;
  }
  static const struct {
    const char *code;
    int32_t dtype;
  } kCodes[] = {
      {"f4", DSC_FLOAT}, {"f8", DSC_DOUBLE}, {"f2", DSC_FLOAT16},
      {"i8", DSC_INT64}, {"i4", DSC_INT32},  {"i2", DSC_INT16},
      {"i1", DSC_INT8},  {"u1", DSC_UINT8},  {"u2", DSC_UINT16},
      {"u4", DSC_UINT32}, {"u8", DSC_UINT64}, {"b1", DSC_BOOL},
  };
  int32_t dtype = 0;
  for (size_t i = 0; i < sizeof(kCodes) / sizeof(kCodes[0]); ++i)
    if (str_eq(code, clen, kCodes[i].code))
      dtype = kCodes[i].dtype;
  if (!dtype) {
    set_err(err, err_size, "unsupported dtype '%.*s'", (int)len, d);
    return 0;
  }
  int single_byte = dsc_dtype_size(dtype) == 1;
  if (!single_byte && order == '>') {
    set_err(err, err_size, "big-endian data is not supported (dtype '%.*s')",
            (int)len, d);
    return 0;
  }
  if (!single_byte && order == '|') {
    set_err(err, err_size, "unsupported dtype '%.*s'", (int)len, d);
    return 0;
  }
  return dtype;
}

/* Parses the header dict: {'descr': '<f4', 'fortran_order': False,
   'shape': (2, 3), } followed by spaces and a newline. */
static int npy_parse_dict(const char *h, size_t len, dsc_tensor *out,
                          char *err, size_t err_size) {
  text_cursor c = {h, h + len};
  int have_descr = 0, have_order = 0, have_shape = 0;
  skip_ws(&c);
  if (c.p >= c.end || *c.p != '{') {
    set_err(err, err_size, "malformed .npy header: expected '{'");
    return -1;
  }
  ++c.p;
  for (;;) {
    skip_ws(&c);
    if (c.p < c.end && *c.p == '}')
      break;
    const char *key;
    size_t klen;
    if (parse_pystr(&c, &key, &klen) != 0) {
      set_err(err, err_size, "malformed .npy header: expected a quoted key");
      return -1;
    }
    skip_ws(&c);
    if (c.p >= c.end || *c.p != ':') {
      set_err(err, err_size, "malformed .npy header: expected ':' after '%.*s'",
              (int)(klen < 64 ? klen : 64), key);
      return -1;
    }
    ++c.p;
    skip_ws(&c);
    if (str_eq(key, klen, "descr")) {
      if (c.p < c.end && *c.p == '[') {
        set_err(err, err_size, "structured dtypes are not supported");
        return -1;
      }
      const char *d;
      size_t dlen;
      if (parse_pystr(&c, &d, &dlen) != 0) {
        set_err(err, err_size, "malformed .npy header: bad 'descr' value");
        return -1;
      }
      out->dtype = npy_dtype(d, dlen, err, err_size);
      if (!out->dtype)
        return -1;
      have_descr = 1;
    } else if (str_eq(key, klen, "fortran_order")) {
      if (match_word(&c, "True")) {
        set_err(err, err_size,
                "fortran_order arrays are not supported (save a C-order "
                "array, e.g. numpy.ascontiguousarray)");
        return -1;
      }
      if (!match_word(&c, "False")) {
        set_err(err, err_size,
                "malformed .npy header: bad 'fortran_order' value");
        return -1;
      }
      have_order = 1;
    } else if (str_eq(key, klen, "shape")) {
      if (c.p >= c.end || *c.p != '(') {
        set_err(err, err_size, "malformed .npy header: bad 'shape' value");
        return -1;
      }
      ++c.p;
      out->rank = 0;
      for (;;) {
        skip_ws(&c);
        if (c.p < c.end && *c.p == ')')
          break;
        if (c.p >= c.end || *c.p < '0' || *c.p > '9') {
          set_err(err, err_size, "malformed .npy header: bad 'shape' value");
          return -1;
        }
        int64_t v = 0;
        while (c.p < c.end && *c.p >= '0' && *c.p <= '9') {
          int digit = *c.p++ - '0';
          if (v > (INT64_MAX - digit) / 10) {
            set_err(err, err_size, "malformed .npy header: dimension too large");
            return -1;
          }
          v = v * 10 + digit;
        }
        if (c.p < c.end && *c.p == 'L') /* Python 2 long */
          ++c.p;
        if (out->rank >= DSC_TENSOR_MAX_RANK) {
          set_err(err, err_size, "rank exceeds %d", DSC_TENSOR_MAX_RANK);
          return -1;
        }
        out->shape[out->rank++] = v;
        skip_ws(&c);
        if (c.p < c.end && *c.p == ',') {
          ++c.p;
          continue;
        }
        if (c.p < c.end && *c.p == ')')
          break;
        set_err(err, err_size, "malformed .npy header: bad 'shape' value");
        return -1;
      }
      ++c.p; /* ')' */
      have_shape = 1;
    } else {
      set_err(err, err_size, "malformed .npy header: unexpected key '%.*s'",
              (int)(klen < 64 ? klen : 64), key);
      return -1;
    }
    skip_ws(&c);
    if (c.p < c.end && *c.p == ',') {
      ++c.p;
      continue;
    }
    if (c.p < c.end && *c.p == '}')
      break;
    set_err(err, err_size, "malformed .npy header: expected ',' or '}'");
    return -1;
  }
  ++c.p; /* '}' */
  skip_ws(&c);
  while (c.p < c.end && *c.p == '\0') /* some writers pad with NULs */
    ++c.p;
  if (c.p != c.end) {
    set_err(err, err_size, "malformed .npy header: text after '}'");
    return -1;
  }
  if (!have_descr || !have_order || !have_shape) {
    set_err(err, err_size, "malformed .npy header: missing '%s'",
            !have_descr ? "descr" : !have_order ? "fortran_order" : "shape");
    return -1;
  }
  return compute_sizes(out, err, err_size);
}

/* Checks the data length after the header against what the header says. */
static int npy_check_data_len(const dsc_tensor *t, uint64_t avail, char *err,
                              size_t err_size) {
  if (avail < (uint64_t)t->num_bytes) {
    set_err(err, err_size,
            "truncated .npy file: the header says %zu data bytes, the file "
            "has %llu",
            t->num_bytes, (unsigned long long)avail);
    return -1;
  }
  if (avail > (uint64_t)t->num_bytes) {
    set_err(err, err_size,
            "malformed .npy file: %llu bytes after the %zu data bytes",
            (unsigned long long)(avail - t->num_bytes), t->num_bytes);
    return -1;
  }
  return 0;
}

int dsc_npy_parse(const void *bytes, size_t size, dsc_tensor *out,
                  void *buffer, size_t buffer_size, char *err,
                  size_t err_size) {
  if (!out || (!bytes && size > 0)) {
    set_err(err, err_size, "invalid argument");
    return -1;
  }
  memset(out, 0, sizeof(*out));
  const unsigned char *p = (const unsigned char *)bytes;
  size_t header_len, header_off;
  if (npy_preamble(p, size, &header_len, &header_off, err, err_size) != 0)
    return -1;
  if (header_len > size - header_off) {
    set_err(err, err_size, "truncated .npy header");
    return -1;
  }
  if (npy_parse_dict((const char *)p + header_off, header_len, out, err,
                     err_size) != 0)
    return -1;
  size_t data_off = header_off + header_len;
  if (npy_check_data_len(out, size - data_off, err, err_size) != 0 ||
      attach_buffer(out, buffer, buffer_size, err, err_size) != 0)
    return -1;
  if (out->num_bytes)
    memcpy(out->data, p + data_off, out->num_bytes);
  return 0;
}

int dsc_npy_read(const char *path, dsc_tensor *out, void *buffer,
                 size_t buffer_size, char *err, size_t err_size) {
  if (!out) {
    set_err(err, err_size, "invalid argument");
    return -1;
  }
  memset(out, 0, sizeof(*out));
  uint64_t size;
  FILE *f = open_regular(path, &size, err, err_size);
  if (!f)
    return -1;
  int rc = -1;
  char *header = NULL;
  unsigned char pre[12];
  size_t npre = size < sizeof(pre) ? (size_t)size : sizeof(pre);
  size_t header_len, header_off;
  if (read_exact(f, pre, npre, err, err_size) != 0 ||
      npy_preamble(pre, npre, &header_len, &header_off, err, err_size) != 0)
    goto done;
  if ((uint64_t)header_len > size - header_off) {
    set_err(err, err_size, "truncated .npy header");
    goto done;
  }
  if (header_len > NPY_MAX_HEADER) {
    set_err(err, err_size, ".npy header too long (%zu bytes)", header_len);
    goto done;
  }
  /* The preamble read may have taken header bytes (format 1.0 reads 12). */
  header = (char *)malloc(header_len ? header_len : 1);
  if (!header) {
    set_err(err, err_size, "out of memory");
    goto done;
  }
  if (fseek(f, (long)header_off, SEEK_SET) != 0 ||
      read_exact(f, header, header_len, err, err_size) != 0)
    goto done;
  if (npy_parse_dict(header, header_len, out, err, err_size) != 0 ||
      npy_check_data_len(out, size - header_off - header_len, err,
                         err_size) != 0 ||
      attach_buffer(out, buffer, buffer_size, err, err_size) != 0)
    goto done;
  if (read_exact(f, out->data, out->num_bytes, err, err_size) != 0) {
    dsc_tensor_free(out);
    goto done;
  }
  rc = 0;
done:
  free(header);
  fclose(f);
  return rc;
}

static const char *npy_descr(int32_t dtype) {
  switch (dtype) {
  case DSC_FLOAT:
    return "<f4";
  case DSC_DOUBLE:
    return "<f8";
  case DSC_FLOAT16:
    return "<f2";
  case DSC_INT64:
    return "<i8";
  case DSC_INT32:
    return "<i4";
  case DSC_INT16:
    return "<i2";
  case DSC_INT8:
    return "|i1";
  case DSC_UINT8:
    return "|u1";
  case DSC_UINT16:
    return "<u2";
  case DSC_UINT32:
    return "<u4";
  case DSC_UINT64:
    return "<u8";
  case DSC_BOOL:
    return "|b1";
  default:
    return NULL;
  }
}

size_t dsc_npy_header(int32_t dtype, int32_t rank, const int64_t *shape,
                      char *out, size_t out_size) {
  const char *descr = npy_descr(dtype);
  if (!descr || rank < 0 || rank > DSC_TENSOR_MAX_RANK ||
      (rank > 0 && !shape))
    return 0;
  /* The dict: at most ~60 + 22 bytes per dim. */
  char dict[64 + DSC_TENSOR_MAX_RANK * 24];
  size_t n = (size_t)snprintf(
      dict, sizeof(dict), "{'descr': '%s', 'fortran_order': False, 'shape': (",
      descr);
  for (int32_t i = 0; i < rank; ++i) {
    if (shape[i] < 0)
      return 0;
    n += (size_t)snprintf(dict + n, sizeof(dict) - n, "%s%lld",
                          i ? ", " : "", (long long)shape[i]);
  }
  n += (size_t)snprintf(dict + n, sizeof(dict) - n, "%s), }",
                        rank == 1 ? "," : "");
  /* Version 1.0 (2-byte length) unless the padded header needs more. */
  size_t pre = 10;
  size_t total = (pre + n + 1 + 63) / 64 * 64;
  if (total - pre > 65535) {
    pre = 12;
    total = (pre + n + 1 + 63) / 64 * 64;
  }
  if (!out)
    return total;
  if (out_size < total)
    return 0;
  size_t header_len = total - pre;
  memcpy(out, kNpyMagic, 6);
  out[6] = (char)(pre == 10 ? 1 : 2);
  out[7] = 0;
  out[8] = (char)(header_len & 0xff);
  out[9] = (char)((header_len >> 8) & 0xff);
  if (pre == 12) {
    out[10] = (char)((header_len >> 16) & 0xff);
    out[11] = (char)((header_len >> 24) & 0xff);
  }
  memcpy(out + pre, dict, n);
  memset(out + pre + n, ' ', total - pre - n - 1);
  out[total - 1] = '\n';
  return total;
}

int dsc_npy_write(const char *path, int32_t dtype, int32_t rank,
                  const int64_t *shape, const void *data, char *err,
                  size_t err_size) {
  dsc_tensor t;
  memset(&t, 0, sizeof(t));
  t.dtype = dtype;
  t.rank = rank;
  if (rank < 0 || rank > DSC_TENSOR_MAX_RANK || (rank > 0 && !shape)) {
    set_err(err, err_size, "bad rank %d", (int)rank);
    return -1;
  }
  for (int32_t i = 0; i < rank; ++i)
    t.shape[i] = shape[i];
  if (compute_sizes(&t, err, err_size) != 0)
    return -1;
  if (t.num_bytes && !data) {
    set_err(err, err_size, "no data");
    return -1;
  }
  char header[64 + 64 + DSC_TENSOR_MAX_RANK * 24];
  size_t hlen = dsc_npy_header(dtype, rank, shape, header, sizeof(header));
  if (hlen == 0) {
    set_err(err, err_size, "cannot build a .npy header");
    return -1;
  }
  FILE *f = path ? fopen(path, "wb") : NULL;
  if (!f) {
    set_err(err, err_size, "cannot create: %s",
            path ? strerror(errno) : "no file name");
    return -1;
  }
  int ok = fwrite(header, 1, hlen, f) == hlen &&
           (t.num_bytes == 0 || fwrite(data, 1, t.num_bytes, f) == t.num_bytes);
  int errnum = errno;
  if (fclose(f) != 0 && ok) {
    ok = 0;
    errnum = errno;
  }
  if (!ok) {
    set_err(err, err_size, "write error: %s", strerror(errnum));
    return -1;
  }
  return 0;
}

/*===----------------------------------------------------------------------===*
 * ONNX TensorProto (.pb)
 *===----------------------------------------------------------------------===*/

typedef struct {
  const unsigned char *p, *end;
} pb_cursor;

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

enum {
  F_DIMS = 1,
  F_DATA_TYPE = 2,
  F_SEGMENT = 3,
  F_FLOAT_DATA = 4,
  F_INT32_DATA = 5,
  F_STRING_DATA = 6,
  F_INT64_DATA = 7,
  F_NAME = 8,
  F_RAW_DATA = 9,
  F_DOUBLE_DATA = 10,
  F_UINT64_DATA = 11,
  F_EXTERNAL_DATA = 13,
  F_DATA_LOCATION = 14,
  F_MAX_TYPED = 12
};

static int pb_varint(pb_cursor *c, uint64_t *v) {
  uint64_t r = 0;
  for (int i = 0; i < 10; ++i) {
    if (c->p >= c->end)
      return -1;
    unsigned char b = *c->p++;
    if (i == 9 && b > 1) /* more than 64 bits */
      return -1;
    r |= (uint64_t)(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      *v = r;
      return 0;
    }
  }
  return -1;
}

/* Reads a length-delimited field's payload bounds. */
static int pb_len(pb_cursor *c, pb_cursor *sub) {
  uint64_t len;
  if (pb_varint(c, &len) != 0 || len > (uint64_t)(c->end - c->p))
    return -1;
  sub->p = c->p;
  sub->end = c->p + len;
  c->p += len;
  return 0;
}

static int pb_skip(pb_cursor *c, unsigned wt) {
  uint64_t v;
  pb_cursor sub;
  switch (wt) {
  case WT_VARINT:
    return pb_varint(c, &v);
  case WT_I64:
    if (c->end - c->p < 8)
      return -1;
    c->p += 8;
    return 0;
  case WT_LEN:
    return pb_len(c, &sub);
  case WT_I32:
    if (c->end - c->p < 4)
      return -1;
    c->p += 4;
    return 0;
  default: /* groups (3, 4) and invalid types */
    return -1;
  }
}

/* Counts the varints in a packed payload, validating each. */
static int pb_count_varints(pb_cursor sub, uint64_t *count) {
  uint64_t v;
  while (sub.p < sub.end) {
    if (pb_varint(&sub, &v) != 0)
      return -1;
    ++*count;
  }
  return 0;
}

static const char *pb_field_name(unsigned field) {
  switch (field) {
  case F_FLOAT_DATA:
    return "float_data";
  case F_INT32_DATA:
    return "int32_data";
  case F_INT64_DATA:
    return "int64_data";
  case F_DOUBLE_DATA:
    return "double_data";
  case F_UINT64_DATA:
    return "uint64_data";
  default:
    return "?";
  }
}

/* The typed field that holds a dtype's values when raw_data is absent. */
static unsigned pb_typed_field(int32_t dtype) {
  switch (dtype) {
  case DSC_FLOAT:
    return F_FLOAT_DATA;
  case DSC_DOUBLE:
    return F_DOUBLE_DATA;
  case DSC_INT64:
    return F_INT64_DATA;
  case DSC_UINT32:
  case DSC_UINT64:
    return F_UINT64_DATA;
  default: /* int32, int16, int8, uint16, uint8, bool, float16 */
    return F_INT32_DATA;
  }
}

static int pb_add_dim(dsc_tensor *t, uint64_t v, char *err, size_t err_size) {
  if ((int64_t)v < 0) {
    set_err(err, err_size, "negative dimension %lld", (long long)(int64_t)v);
    return -1;
  }
  if (t->rank >= DSC_TENSOR_MAX_RANK) {
    set_err(err, err_size, "rank exceeds %d", DSC_TENSOR_MAX_RANK);
    return -1;
  }
  t->shape[t->rank++] = (int64_t)v;
  return 0;
}

/* Stores one varint-encoded value of a typed field as element i. */
static void pb_store_int(dsc_tensor *t, uint64_t i, uint64_t v) {
  switch (t->dtype) {
  case DSC_INT32:
  case DSC_UINT32: {
    uint32_t x = (uint32_t)v;
    memcpy((char *)t->data + i * 4, &x, 4);
    break;
  }
  case DSC_INT16:
  case DSC_UINT16:
  case DSC_FLOAT16: {
    uint16_t x = (uint16_t)v;
    memcpy((char *)t->data + i * 2, &x, 2);
    break;
  }
  case DSC_INT8:
  case DSC_UINT8:
    ((unsigned char *)t->data)[i] = (unsigned char)v;
    break;
  case DSC_BOOL:
    ((unsigned char *)t->data)[i] = v != 0;
    break;
  default: /* int64, uint64 */
    memcpy((char *)t->data + i * 8, &v, 8);
    break;
  }
}

int dsc_pb_parse(const void *bytes, size_t size, dsc_tensor *out,
                 void *buffer, size_t buffer_size, char *err,
                 size_t err_size) {
  if (!out || (!bytes && size > 0)) {
    set_err(err, err_size, "invalid argument");
    return -1;
  }
  memset(out, 0, sizeof(*out));
  static const unsigned char kEmpty[1] = {0};
  const unsigned char *base = bytes ? (const unsigned char *)bytes : kEmpty;
  pb_cursor c = {base, base + size};
  uint64_t counts[F_MAX_TYPED] = {0};
  pb_cursor raw = {NULL, NULL};
  int have_raw = 0;
  int64_t data_type = 0;

  /* Pass 1: structure, dims, dtype, name, and how many values each typed
     field holds. */
  while (c.p < c.end) {
    uint64_t key;
    if (pb_varint(&c, &key) != 0) {
      set_err(err, err_size, "malformed TensorProto: truncated field key");
      return -1;
    }
    uint64_t field = key >> 3;
    unsigned wt = (unsigned)(key & 7);
    if (field == 0 || field > 0x1fffffff) {
      set_err(err, err_size, "malformed TensorProto: bad field number");
      return -1;
    }
    int bad_wt = 0;
    uint64_t v;
    pb_cursor sub;
    switch (field) {
    case F_DIMS:
      if (wt == WT_VARINT) {
        if (pb_varint(&c, &v) != 0)
          goto truncated;
        if (pb_add_dim(out, v, err, err_size) != 0)
          return -1;
      } else if (wt == WT_LEN) {
        if (pb_len(&c, &sub) != 0)
          goto truncated;
        while (sub.p < sub.end) {
          if (pb_varint(&sub, &v) != 0)
            goto truncated;
          if (pb_add_dim(out, v, err, err_size) != 0)
            return -1;
        }
      } else {
        bad_wt = 1;
      }
      break;
    case F_DATA_TYPE:
      if (wt != WT_VARINT) {
        bad_wt = 1;
        break;
      }
      if (pb_varint(&c, &v) != 0)
        goto truncated;
      data_type = (int64_t)v;
      break;
    case F_SEGMENT:
      set_err(err, err_size, "segmented tensors are not supported");
      return -1;
    case F_STRING_DATA:
      set_err(err, err_size, "string tensors are not supported");
      return -1;
    case F_EXTERNAL_DATA:
      set_err(err, err_size, "tensors with external data are not supported");
      return -1;
    case F_DATA_LOCATION:
      if (wt != WT_VARINT) {
        bad_wt = 1;
        break;
      }
      if (pb_varint(&c, &v) != 0)
        goto truncated;
      if (v == 1) {
        set_err(err, err_size, "tensors with external data are not supported");
        return -1;
      }
      break;
    case F_NAME:
      if (wt != WT_LEN) {
        bad_wt = 1;
        break;
      }
      if (pb_len(&c, &sub) != 0)
        goto truncated;
      {
        size_t n = (size_t)(sub.end - sub.p);
        if (n > DSC_TENSOR_MAX_NAME)
          n = DSC_TENSOR_MAX_NAME;
        memcpy(out->name, sub.p, n);
        out->name[n] = '\0';
      }
      break;
    case F_RAW_DATA:
      if (wt != WT_LEN) {
        bad_wt = 1;
        break;
      }
      if (pb_len(&c, &raw) != 0)
        goto truncated;
      have_raw = 1;
      break;
    case F_FLOAT_DATA:
    case F_DOUBLE_DATA: {
      size_t width = field == F_FLOAT_DATA ? 4 : 8;
      unsigned fixed_wt = field == F_FLOAT_DATA ? WT_I32 : WT_I64;
      if (wt == fixed_wt) {
        if (pb_skip(&c, wt) != 0)
          goto truncated;
        ++counts[field];
      } else if (wt == WT_LEN) {
        if (pb_len(&c, &sub) != 0)
          goto truncated;
        size_t n = (size_t)(sub.end - sub.p);
        if (n % width != 0) {
          set_err(err, err_size,
                  "malformed TensorProto: packed %s is not a multiple of %zu "
                  "bytes",
                  pb_field_name((unsigned)field), width);
          return -1;
        }
        counts[field] += n / width;
      } else {
        bad_wt = 1;
      }
      break;
    }
    case F_INT32_DATA:
    case F_INT64_DATA:
    case F_UINT64_DATA:
      if (wt == WT_VARINT) {
        if (pb_varint(&c, &v) != 0)
          goto truncated;
        ++counts[field];
      } else if (wt == WT_LEN) {
        if (pb_len(&c, &sub) != 0 || pb_count_varints(sub, &counts[field]) != 0)
          goto truncated;
      } else {
        bad_wt = 1;
      }
      break;
    default:
      if (pb_skip(&c, wt) != 0)
        goto truncated;
      break;
    }
    if (bad_wt) {
      set_err(err, err_size,
              "malformed TensorProto: field %u has wire type %u",
              (unsigned)field, wt);
      return -1;
    }
  }

  if (data_type <= 0 || data_type > INT32_MAX ||
      dsc_dtype_size((int32_t)data_type) == 0) {
    set_err(err, err_size, "unsupported TensorProto data_type %lld",
            (long long)data_type);
    return -1;
  }
  out->dtype = (int32_t)data_type;
  if (compute_sizes(out, err, err_size) != 0)
    return -1;

  unsigned want = pb_typed_field(out->dtype);
  for (unsigned f = 0; f < F_MAX_TYPED; ++f) {
    if (counts[f] == 0)
      continue;
    if (have_raw) {
      set_err(err, err_size,
              "malformed TensorProto: both raw_data and %s are set",
              pb_field_name(f));
      return -1;
    }
    if (f != want) {
      set_err(err, err_size,
              "malformed TensorProto: %s holds values of a %s tensor "
              "(expected %s)",
              pb_field_name(f), dsc_dtype_name(out->dtype), pb_field_name(want));
      return -1;
    }
  }
  if (have_raw) {
    if ((uint64_t)(raw.end - raw.p) != (uint64_t)out->num_bytes) {
      set_err(err, err_size,
              "malformed TensorProto: raw_data has %zu bytes, the shape needs "
              "%zu",
              (size_t)(raw.end - raw.p), out->num_bytes);
      return -1;
    }
  } else if (counts[want] != out->num_elements) {
    set_err(err, err_size,
            "malformed TensorProto: %s has %llu values, the shape needs %llu",
            pb_field_name(want), (unsigned long long)counts[want],
            (unsigned long long)out->num_elements);
    return -1;
  }

  if (attach_buffer(out, buffer, buffer_size, err, err_size) != 0)
    return -1;
  if (have_raw) {
    if (out->num_bytes)
      memcpy(out->data, raw.p, out->num_bytes);
    return 0;
  }

  /* Pass 2: decode the typed field's values in order. Pass 1 validated the
     structure, so failures here cannot happen; they are checked anyway. */
  uint64_t idx = 0;
  c.p = base;
  c.end = base + size;
  while (c.p < c.end) {
    uint64_t key, v;
    pb_cursor sub;
    if (pb_varint(&c, &key) != 0)
      goto internal;
    uint64_t field = key >> 3;
    unsigned wt = (unsigned)(key & 7);
    if (field != want) {
      if (pb_skip(&c, wt) != 0)
        goto internal;
      continue;
    }
    if (field == F_FLOAT_DATA || field == F_DOUBLE_DATA) {
      size_t width = field == F_FLOAT_DATA ? 4 : 8;
      if (wt == WT_LEN) {
        if (pb_len(&c, &sub) != 0)
          goto internal;
      } else {
        if ((size_t)(c.end - c.p) < width)
          goto internal;
        sub.p = c.p;
        sub.end = c.p + width;
        c.p += width;
      }
      size_t n = (size_t)(sub.end - sub.p) / width;
      if (n > out->num_elements - idx)
        goto internal;
      memcpy((char *)out->data + idx * width, sub.p, n * width);
      idx += n;
    } else if (wt == WT_LEN) {
      if (pb_len(&c, &sub) != 0)
        goto internal;
      while (sub.p < sub.end) {
        if (pb_varint(&sub, &v) != 0 || idx >= out->num_elements)
          goto internal;
        pb_store_int(out, idx++, v);
      }
    } else {
      if (pb_varint(&c, &v) != 0 || idx >= out->num_elements)
        goto internal;
      pb_store_int(out, idx++, v);
    }
  }
  if (idx != out->num_elements)
    goto internal;
  return 0;

truncated:
  set_err(err, err_size, "malformed TensorProto: truncated or invalid field");
  return -1;
internal:
  dsc_tensor_free(out);
  set_err(err, err_size, "malformed TensorProto");
  return -1;
}

int dsc_pb_read(const char *path, dsc_tensor *out, void *buffer,
                size_t buffer_size, char *err, size_t err_size) {
  if (!out) {
    set_err(err, err_size, "invalid argument");
    return -1;
  }
  memset(out, 0, sizeof(*out));
  uint64_t size;
  FILE *f = open_regular(path, &size, err, err_size);
  if (!f)
    return -1;
  if (size > SIZE_MAX - 1) {
    set_err(err, err_size, "file too large");
    fclose(f);
    return -1;
  }
  unsigned char *bytes = (unsigned char *)malloc(size ? (size_t)size : 1);
  if (!bytes) {
    set_err(err, err_size, "out of memory reading %llu bytes",
            (unsigned long long)size);
    fclose(f);
    return -1;
  }
  int rc = read_exact(f, bytes, (size_t)size, err, err_size);
  fclose(f);
  if (rc == 0)
    rc = dsc_pb_parse(bytes, (size_t)size, out, buffer, buffer_size, err,
                      err_size);
  free(bytes);
  return rc;
}

static int has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int dsc_tensor_read(const char *path, dsc_tensor *out, void *buffer,
                    size_t buffer_size, char *err, size_t err_size) {
  if (out)
    memset(out, 0, sizeof(*out));
  if (!path || !out) {
    set_err(err, err_size, "invalid argument");
    return -1;
  }
  if (has_suffix(path, ".npy"))
    return dsc_npy_read(path, out, buffer, buffer_size, err, err_size);
  if (has_suffix(path, ".pb"))
    return dsc_pb_read(path, out, buffer, buffer_size, err, err_size);
  set_err(err, err_size,
          "unknown file type (expected a .npy or an ONNX TensorProto .pb)");
  return -1;
}
