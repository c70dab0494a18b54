/*===- dsc/tensor_io.h - .npy and ONNX TensorProto (.pb) readers/writer ---===*
 *
 * Small hand-written readers for the executable harness (and tests): numpy
 * .npy files (format 1.0, 2.0 and 3.0, little-endian, C order) and ONNX
 * TensorProto files (.pb, as in ONNX's backend test data). Reading is not on
 * the inference path, so these functions may allocate.
 *
 * The readers take untrusted input: every length is checked against the
 * bytes actually present, every size computation is overflow-checked, and no
 * buffer is allocated before the file proves it holds that much data.
 *
 * Every function returns 0 on success and -1 on error; on error it writes a
 * NUL-terminated message into err (truncated to err_size bytes; err may be
 * NULL) that does not repeat the file name.
 *===----------------------------------------------------------------------===*/

#ifndef DSC_TENSOR_IO_H
#define DSC_TENSOR_IO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The largest rank the readers accept (numpy's limit). */
#define DSC_TENSOR_MAX_RANK 32

/** The longest TensorProto name kept (longer names are truncated). */
#define DSC_TENSOR_MAX_NAME 255

/** A tensor read from a file. */
typedef struct {
  int32_t dtype; /* dsc_dtype */
  int32_t rank;
  int64_t shape[DSC_TENSOR_MAX_RANK];
  uint64_t num_elements;
  size_t num_bytes;
  void *data;    /* the caller's buffer, or malloc'ed when owns_data */
  int owns_data; /* 1 when dsc_tensor_free must free data */
  char name[DSC_TENSOR_MAX_NAME + 1]; /* TensorProto.name; "" for .npy */
} dsc_tensor;

/* Every reader below fills *out. Where the data goes: when buffer is NULL,
   a malloc'ed block of num_bytes (at least 1) that out owns; otherwise the
   caller's buffer, which must hold buffer_size >= num_bytes bytes (else an
   error). Release with dsc_tensor_free either way. */

/** Parses a complete .npy file held in memory. */
int dsc_npy_parse(const void *bytes, size_t size, dsc_tensor *out,
                  void *buffer, size_t buffer_size, char *err,
                  size_t err_size);

/** Reads a .npy file without holding it twice in memory. */
int dsc_npy_read(const char *path, dsc_tensor *out, void *buffer,
                 size_t buffer_size, char *err, size_t err_size);

/** Builds the .npy preamble + header (format 1.0, or 2.0 when the header
    does not fit 1.0) for a C-order little-endian array, padded so the data
    starts at a multiple of 64. Returns its length, or 0 on an unknown dtype,
    a bad rank or shape, or when out_size is too small (out may be NULL to
    ask for the length). */
size_t dsc_npy_header(int32_t dtype, int32_t rank, const int64_t *shape,
                      char *out, size_t out_size);

/** Writes a .npy file. */
int dsc_npy_write(const char *path, int32_t dtype, int32_t rank,
                  const int64_t *shape, const void *data, char *err,
                  size_t err_size);

/** Parses a serialized ONNX TensorProto held in memory. Supports dims,
    data_type, name, raw_data and the typed fields float_data, int32_data,
    int64_data, double_data and uint64_data; refuses segments, string data,
    external data and data types other than dsc_dtype's. */
int dsc_pb_parse(const void *bytes, size_t size, dsc_tensor *out,
                 void *buffer, size_t buffer_size, char *err,
                 size_t err_size);

/** Reads an ONNX TensorProto file. */
int dsc_pb_read(const char *path, dsc_tensor *out, void *buffer,
                size_t buffer_size, char *err, size_t err_size);

/** Reads a tensor file by its extension: ".npy" or ".pb" (case-sensitive);
    any other extension is an error. */
int dsc_tensor_read(const char *path, dsc_tensor *out, void *buffer,
                    size_t buffer_size, char *err, size_t err_size);

/** Frees out->data when the reader allocated it, and clears *t. NULL is a
    no-op. */
void dsc_tensor_free(dsc_tensor *t);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DSC_TENSOR_IO_H */
