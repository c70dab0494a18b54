//===- TensorIOTest.cpp - The C runtime: .npy/.pb I/O, CPU checks, instances ===//
//
// The runtime is C; these tests drive it through its extern "C" headers.
//
//===----------------------------------------------------------------------===//

#include "dsc/runtime.h"
#include "dsc/tensor_io.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "dsc_runtime_test_" + name;
}

void writeFile(const std::string &path, const Bytes &bytes) {
  FILE *f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  if (!bytes.empty())
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  std::fclose(f);
}

Bytes readFile(const std::string &path) {
  Bytes out;
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return out;
  int c;
  while ((c = std::fgetc(f)) != EOF)
    out.push_back(static_cast<uint8_t>(c));
  std::fclose(f);
  return out;
}

// A .npy file from a header dict (padded as numpy does) and data bytes.
Bytes makeNpy(const std::string &dict, const Bytes &data, int major = 1) {
  size_t pre = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((pre + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  size_t len = header.size();
  out.push_back(len & 0xff);
  out.push_back((len >> 8) & 0xff);
  if (major != 1) {
    out.push_back((len >> 16) & 0xff);
    out.push_back((len >> 24) & 0xff);
  }
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// Parses from memory; returns the error message ("" on success).
std::string npyError(const Bytes &bytes) {
  dsc_tensor t;
  char err[256] = "";
  int rc = dsc_npy_parse(bytes.data(), bytes.size(), &t, nullptr, 0, err,
                         sizeof(err));
  dsc_tensor_free(&t);
  return rc == 0 ? "" : (err[0] ? std::string(err) : "<empty message>");
}

std::string pbError(const Bytes &bytes) {
  dsc_tensor t;
  char err[256] = "";
  int rc = dsc_pb_parse(bytes.data(), bytes.size(), &t, nullptr, 0, err,
                        sizeof(err));
  dsc_tensor_free(&t);
  return rc == 0 ? "" : (err[0] ? std::string(err) : "<empty message>");
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

struct DtypeCase {
  int32_t dtype;
  const char *descr;
};

const DtypeCase kDtypes[] = {
    {DSC_FLOAT, "<f4"},  {DSC_DOUBLE, "<f8"}, {DSC_INT64, "<i8"},
    {DSC_INT32, "<i4"},  {DSC_INT16, "<i2"},  {DSC_INT8, "|i1"},
    {DSC_UINT8, "|u1"},  {DSC_UINT16, "<u2"}, {DSC_UINT32, "<u4"},
    {DSC_UINT64, "<u8"}, {DSC_BOOL, "|b1"},   {DSC_FLOAT16, "<f2"},
};

TEST(RuntimeNpy, RoundTripsEveryDtype) {
  const int64_t shape[3] = {2, 3, 4};
  for (const DtypeCase &c : kDtypes) {
    SCOPED_TRACE(c.descr);
    size_t bytes = 24 * dsc_dtype_size(c.dtype);
    Bytes data(bytes);
    for (size_t i = 0; i < bytes; ++i)
      data[i] = static_cast<uint8_t>(c.dtype == DSC_BOOL ? i % 2 : i * 7 + 1);
    std::string path = tempPath(std::string("rt_") + dsc_dtype_name(c.dtype) +
                                ".npy");
    char err[256] = "";
    ASSERT_EQ(dsc_npy_write(path.c_str(), c.dtype, 3, shape, data.data(), err,
                            sizeof(err)),
              0)
        << err;

    // The header is what numpy writes: descr, C order, 64-byte aligned data.
    Bytes file = readFile(path);
    ASSERT_GE(file.size(), 64u);
    size_t headerEnd = file.size() - bytes;
    EXPECT_EQ(headerEnd % 64, 0u);
    std::string header(file.begin() + 10, file.begin() + headerEnd);
    EXPECT_NE(header.find(std::string("'descr': '") + c.descr + "'"),
              std::string::npos)
        << header;
    EXPECT_NE(header.find("'shape': (2, 3, 4)"), std::string::npos) << header;
    EXPECT_EQ(header.back(), '\n');

    // Read back: allocated by the reader.
    dsc_tensor t;
    ASSERT_EQ(dsc_npy_read(path.c_str(), &t, nullptr, 0, err, sizeof(err)), 0)
        << err;
    EXPECT_EQ(t.dtype, c.dtype);
    ASSERT_EQ(t.rank, 3);
    EXPECT_EQ(t.shape[0], 2);
    EXPECT_EQ(t.shape[1], 3);
    EXPECT_EQ(t.shape[2], 4);
    EXPECT_EQ(t.num_elements, 24u);
    ASSERT_EQ(t.num_bytes, bytes);
    EXPECT_EQ(t.owns_data, 1);
    EXPECT_EQ(std::memcmp(t.data, data.data(), bytes), 0);
    dsc_tensor_free(&t);

    // Read back into a caller buffer, through the extension dispatch.
    std::vector<uint8_t> buffer(bytes);
    ASSERT_EQ(dsc_tensor_read(path.c_str(), &t, buffer.data(), buffer.size(),
                              err, sizeof(err)),
              0)
        << err;
    EXPECT_EQ(t.data, buffer.data());
    EXPECT_EQ(t.owns_data, 0);
    EXPECT_EQ(buffer, data);
    dsc_tensor_free(&t);

    // And from memory.
    ASSERT_EQ(dsc_npy_parse(file.data(), file.size(), &t, nullptr, 0, err,
                            sizeof(err)),
              0)
        << err;
    EXPECT_EQ(std::memcmp(t.data, data.data(), bytes), 0);
    dsc_tensor_free(&t);
    std::remove(path.c_str());
  }
}

TEST(RuntimeNpy, RoundTripsScalarsVectorsAndEmptyTensors) {
  struct Case {
    int32_t rank;
    std::vector<int64_t> shape;
    const char *text;
  } cases[] = {{0, {}, "'shape': ()"},
               {1, {5}, "'shape': (5,)"},
               {2, {0, 3}, "'shape': (0, 3)"}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.text);
    uint64_t n = 1;
    for (int64_t d : c.shape)
      n *= static_cast<uint64_t>(d);
    std::vector<float> data(n);
    for (uint64_t i = 0; i < n; ++i)
      data[i] = 0.5f * static_cast<float>(i);
    std::string path = tempPath("shape.npy");
    char err[256];
    ASSERT_EQ(dsc_npy_write(path.c_str(), DSC_FLOAT, c.rank, c.shape.data(),
                            data.data(), err, sizeof(err)),
              0)
        << err;
    Bytes file = readFile(path);
    EXPECT_NE(std::string(file.begin(), file.end()).find(c.text),
              std::string::npos);
    dsc_tensor t;
    ASSERT_EQ(dsc_npy_read(path.c_str(), &t, nullptr, 0, err, sizeof(err)), 0)
        << err;
    EXPECT_EQ(t.rank, c.rank);
    EXPECT_EQ(t.num_elements, n);
    EXPECT_EQ(t.num_bytes, n * 4);
    EXPECT_NE(t.data, nullptr);
    if (n)
      EXPECT_EQ(std::memcmp(t.data, data.data(), n * 4), 0);
    dsc_tensor_free(&t);
    std::remove(path.c_str());
  }
}

TEST(RuntimeNpy, ReadsFormatVersions2And3AndVariants) {
  Bytes data(8, 0x11);
  EXPECT_EQ(npyError(makeNpy(
                "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                data, 2)),
            "");
  EXPECT_EQ(npyError(makeNpy(
                "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                data, 3)),
            "");
  // Key order, double quotes, no trailing comma, Python 2 longs, '=' order.
  EXPECT_EQ(npyError(makeNpy(
                "{\"shape\": (2L,), \"fortran_order\": False, \"descr\": "
                "\"=i4\"}",
                data)),
            "");
  // A 1-byte type with '<' or '|' order.
  EXPECT_EQ(npyError(makeNpy(
                "{'descr': '<u1', 'fortran_order': False, 'shape': (8,), }",
                data)),
            "");
}

TEST(RuntimeNpy, RefusesMalformedHeaders) {
  Bytes four(4, 0);
  auto dict = [&](const std::string &d) { return npyError(makeNpy(d, four)); };
  EXPECT_NE(dict("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }")
                .find("fortran_order"),
            std::string::npos);
  EXPECT_NE(dict("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }")
                .find("big-endian"),
            std::string::npos);
  EXPECT_NE(dict("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }")
                .find("object"),
            std::string::npos);
  EXPECT_NE(dict("{'descr': [('a', '<f4')], 'fortran_order': False, "
                 "'shape': (1,), }")
                .find("structured"),
            std::string::npos);
  EXPECT_NE(dict("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }")
                .find("unsupported dtype '<c8'"),
            std::string::npos);
  EXPECT_NE(dict("{'descr': '|f4', 'fortran_order': False, 'shape': (1,), }")
                .find("unsupported dtype"),
            std::string::npos);
  EXPECT_NE(dict("{'descr': '<f4', 'fortran_order': False, }").find("shape"),
            std::string::npos);
  EXPECT_NE(dict("{'fortran_order': False, 'shape': (1,), }").find("descr"),
            std::string::npos);
  EXPECT_NE(dict("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), "
                 "'extra': 1}")
                .find("unexpected key"),
            std::string::npos);
  const char *bad[] = {
      "",
      "[]",
      "{",
      "{'descr': '<f4'",
      "{'descr: '<f4', 'fortran_order': False, 'shape': (1,), }",
      "{'descr': '<f4', 'fortran_order': Fals, 'shape': (1,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1 2), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': [1], }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,) 'x': 1}",
      "{'descr': '<\\x66', 'fortran_order': False, 'shape': (1,), }",
      ("{'descr': '<f4', 'fortran_order': False, 'shape': "
       "(99999999999999999999,), }"),
  };
  for (const char *d : bad) {
    SCOPED_TRACE(d);
    EXPECT_NE(dict(d), "");
  }
  // Rank above the limit.
  std::string big = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (int i = 0; i < DSC_TENSOR_MAX_RANK + 1; ++i)
    big += "1, ";
  big += "), }";
  EXPECT_NE(dict(big).find("rank"), std::string::npos);
}

TEST(RuntimeNpy, RefusesBadPreambles) {
  Bytes good = makeNpy(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", Bytes(4));
  ASSERT_EQ(npyError(good), "");
  Bytes b = good;
  b[1] = 'X';
  EXPECT_NE(npyError(b).find("magic"), std::string::npos);
  b = good;
  b[6] = 4;
  EXPECT_NE(npyError(b).find("version 4.0"), std::string::npos);
  b = good;
  b[7] = 1;
  EXPECT_NE(npyError(b).find("version"), std::string::npos);
  // A header length past the end of the file.
  b = good;
  b[8] = 0xff;
  b[9] = 0xff;
  EXPECT_NE(npyError(b).find("truncated"), std::string::npos);
  b = makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
              Bytes(4), 2);
  b[11] = 0x80; // header length ~2 GiB
  EXPECT_NE(npyError(b).find("truncated"), std::string::npos);
  EXPECT_NE(npyError(Bytes{}), "");
  EXPECT_NE(npyError(Bytes{0x93, 'N', 'U'}).find("truncated"),
            std::string::npos);
}

TEST(RuntimeNpy, RefusesTruncatedAndOversizedData) {
  std::vector<float> data(6, 1.5f);
  const int64_t shape[2] = {2, 3};
  std::string path = tempPath("trunc.npy");
  char err[256];
  ASSERT_EQ(dsc_npy_write(path.c_str(), DSC_FLOAT, 2, shape, data.data(), err,
                          sizeof(err)),
            0);
  Bytes file = readFile(path);
  // Every proper prefix fails, in memory and on disk.
  for (size_t n = 0; n < file.size(); ++n) {
    Bytes prefix(file.begin(), file.begin() + n);
    EXPECT_NE(npyError(prefix), "") << "prefix of " << n << " bytes";
    writeFile(path, prefix);
    dsc_tensor t;
    EXPECT_NE(dsc_npy_read(path.c_str(), &t, nullptr, 0, err, sizeof(err)), 0)
        << "prefix of " << n << " bytes";
  }
  // Trailing bytes are refused too.
  Bytes longer = file;
  longer.push_back(0);
  EXPECT_NE(npyError(longer).find("after the"), std::string::npos);

  // Dims that overflow, or promise more data than the file has, are refused
  // before anything is allocated.
  EXPECT_NE(npyError(makeNpy("{'descr': '<f8', 'fortran_order': False, "
                             "'shape': (4611686018427387904, 4), }",
                             Bytes(8)))
                .find("overflow"),
            std::string::npos);
  EXPECT_NE(npyError(makeNpy("{'descr': '<f8', 'fortran_order': False, "
                             "'shape': (1000000000000,), }",
                             Bytes(8)))
                .find("truncated"),
            std::string::npos);
  // A caller buffer that is too small.
  dsc_tensor t;
  float small[2];
  EXPECT_NE(dsc_npy_parse(file.data(), file.size(), &t, small, sizeof(small),
                          err, sizeof(err)),
            0);
  EXPECT_NE(std::string(err).find("buffer"), std::string::npos);
  std::remove(path.c_str());
}

TEST(RuntimeNpy, ReportsFileErrors) {
  dsc_tensor t;
  char err[256];
  EXPECT_NE(dsc_npy_read(tempPath("does-not-exist.npy").c_str(), &t, nullptr,
                         0, err, sizeof(err)),
            0);
  EXPECT_NE(std::string(err).find("No such file"), std::string::npos);
  EXPECT_NE(dsc_tensor_read(::testing::TempDir().c_str(), &t, nullptr, 0, err,
                            sizeof(err)),
            0);
  std::string dir = tempPath("dir.npy");
  std::string cmd = "mkdir -p '" + dir + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_NE(
      dsc_npy_read(dir.c_str(), &t, nullptr, 0, err, sizeof(err)), 0);
  EXPECT_NE(std::string(err).find("regular"), std::string::npos);
  EXPECT_NE(dsc_tensor_read("x.txt", &t, nullptr, 0, err, sizeof(err)), 0);
  EXPECT_NE(std::string(err).find("unknown file type"), std::string::npos);
  // A NULL err buffer is fine.
  EXPECT_NE(dsc_tensor_read("x.txt", &t, nullptr, 0, nullptr, 0), 0);
}

//===----------------------------------------------------------------------===//
// ONNX TensorProto (.pb)
//===----------------------------------------------------------------------===//

void putVarint(Bytes &b, uint64_t v) {
  while (v >= 0x80) {
    b.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  b.push_back(static_cast<uint8_t>(v));
}

void putKey(Bytes &b, unsigned field, unsigned wt) {
  putVarint(b, (field << 3) | wt);
}

void putLen(Bytes &b, unsigned field, const Bytes &payload) {
  putKey(b, field, 2);
  putVarint(b, payload.size());
  b.insert(b.end(), payload.begin(), payload.end());
}

void putDims(Bytes &b, std::initializer_list<uint64_t> dims) {
  for (uint64_t d : dims) {
    putKey(b, 1, 0);
    putVarint(b, d);
  }
}

void putType(Bytes &b, int32_t dtype) {
  putKey(b, 2, 0);
  putVarint(b, static_cast<uint64_t>(dtype));
}

template <typename T> Bytes rawBytes(const std::vector<T> &v) {
  Bytes b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

TEST(RuntimePb, ParsesRawData) {
  std::vector<float> values = {1, 2, 3, -4, 5.5f, 6};
  Bytes b;
  putDims(b, {2, 3});
  putType(b, DSC_FLOAT);
  putLen(b, 8, Bytes{'x', ':', '0'});
  putLen(b, 9, rawBytes(values));
  dsc_tensor t;
  char err[256];
  ASSERT_EQ(dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err, sizeof(err)),
            0)
      << err;
  EXPECT_EQ(t.dtype, DSC_FLOAT);
  ASSERT_EQ(t.rank, 2);
  EXPECT_EQ(t.shape[0], 2);
  EXPECT_EQ(t.shape[1], 3);
  EXPECT_STREQ(t.name, "x:0");
  ASSERT_EQ(t.num_bytes, 24u);
  EXPECT_EQ(std::memcmp(t.data, values.data(), 24), 0);
  dsc_tensor_free(&t);

  // Through a file and the extension dispatch.
  std::string path = tempPath("raw.pb");
  writeFile(path, b);
  float buffer[6];
  ASSERT_EQ(dsc_tensor_read(path.c_str(), &t, buffer, sizeof(buffer), err,
                            sizeof(err)),
            0)
      << err;
  EXPECT_EQ(t.data, static_cast<void *>(buffer));
  EXPECT_EQ(std::memcmp(buffer, values.data(), 24), 0);
  dsc_tensor_free(&t);
  std::remove(path.c_str());
}

TEST(RuntimePb, ParsesFloatDataPackedAndUnpacked) {
  std::vector<float> values = {0.25f, -1, 3, 4};
  // Packed (what protobuf writes for proto3 repeated floats), with packed
  // dims.
  Bytes packed;
  Bytes dims;
  putVarint(dims, 2);
  putVarint(dims, 2);
  putLen(packed, 1, dims);
  putType(packed, DSC_FLOAT);
  putLen(packed, 4, rawBytes(values));
  // Unpacked: one fixed32 per field, split around other fields.
  Bytes unpacked;
  putDims(unpacked, {4});
  for (size_t i = 0; i < values.size(); ++i) {
    putKey(unpacked, 4, 5);
    Bytes v = rawBytes(std::vector<float>{values[i]});
    unpacked.insert(unpacked.end(), v.begin(), v.end());
    if (i == 1)
      putType(unpacked, DSC_FLOAT);
  }
  for (const Bytes *b : {&packed, &unpacked}) {
    dsc_tensor t;
    char err[256];
    ASSERT_EQ(
        dsc_pb_parse(b->data(), b->size(), &t, nullptr, 0, err, sizeof(err)),
        0)
        << err;
    EXPECT_EQ(t.num_elements, 4u);
    EXPECT_EQ(std::memcmp(t.data, values.data(), 16), 0);
    dsc_tensor_free(&t);
  }
}

TEST(RuntimePb, ParsesTypedIntegerFields) {
  char err[256];
  dsc_tensor t;
  // int64_data with negative values (10-byte varints).
  {
    Bytes b;
    putDims(b, {3});
    putType(b, DSC_INT64);
    Bytes p;
    for (int64_t v : {int64_t(-1), int64_t(42), INT64_MIN})
      putVarint(p, static_cast<uint64_t>(v));
    putLen(b, 7, p);
    ASSERT_EQ(dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err,
                           sizeof(err)),
              0)
        << err;
    const int64_t *d = static_cast<const int64_t *>(t.data);
    EXPECT_EQ(d[0], -1);
    EXPECT_EQ(d[1], 42);
    EXPECT_EQ(d[2], INT64_MIN);
    dsc_tensor_free(&t);
  }
  // int32_data holds int8 (sign-extended), uint8, bool and float16 bits.
  {
    Bytes b;
    putDims(b, {2});
    putType(b, DSC_INT8);
    putKey(b, 5, 0);
    putVarint(b, static_cast<uint64_t>(int64_t(-5)));
    putKey(b, 5, 0);
    putVarint(b, 7);
    ASSERT_EQ(dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err,
                           sizeof(err)),
              0)
        << err;
    EXPECT_EQ(static_cast<const int8_t *>(t.data)[0], -5);
    EXPECT_EQ(static_cast<const int8_t *>(t.data)[1], 7);
    dsc_tensor_free(&t);
  }
  {
    Bytes b;
    putDims(b, {3});
    putType(b, DSC_BOOL);
    Bytes p;
    putVarint(p, 1);
    putVarint(p, 0);
    putVarint(p, 1);
    putLen(b, 5, p);
    ASSERT_EQ(dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err,
                           sizeof(err)),
              0)
        << err;
    const uint8_t *d = static_cast<const uint8_t *>(t.data);
    EXPECT_EQ(d[0], 1);
    EXPECT_EQ(d[1], 0);
    EXPECT_EQ(d[2], 1);
    dsc_tensor_free(&t);
  }
  {
    Bytes b;
    putDims(b, {1});
    putType(b, DSC_FLOAT16);
    putKey(b, 5, 0);
    putVarint(b, 0x3c00); // 1.0
    ASSERT_EQ(dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err,
                           sizeof(err)),
              0)
        << err;
    EXPECT_EQ(static_cast<const uint16_t *>(t.data)[0], 0x3c00);
    dsc_tensor_free(&t);
  }
  // uint64_data holds uint32; double_data doubles.
  {
    Bytes b;
    putDims(b, {1});
    putType(b, DSC_UINT32);
    putKey(b, 11, 0);
    putVarint(b, 4000000000u);
    ASSERT_EQ(dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err,
                           sizeof(err)),
              0)
        << err;
    EXPECT_EQ(static_cast<const uint32_t *>(t.data)[0], 4000000000u);
    dsc_tensor_free(&t);
  }
  {
    Bytes b;
    putDims(b, {2});
    putType(b, DSC_DOUBLE);
    putLen(b, 10, rawBytes(std::vector<double>{1.5, -2.25}));
    ASSERT_EQ(dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err,
                           sizeof(err)),
              0)
        << err;
    EXPECT_EQ(static_cast<const double *>(t.data)[1], -2.25);
    dsc_tensor_free(&t);
  }
  // A scalar (no dims) and an empty tensor (a zero dim, no data).
  {
    Bytes b;
    putType(b, DSC_INT32);
    putKey(b, 5, 0);
    putVarint(b, 9);
    ASSERT_EQ(dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err,
                           sizeof(err)),
              0)
        << err;
    EXPECT_EQ(t.rank, 0);
    EXPECT_EQ(static_cast<const int32_t *>(t.data)[0], 9);
    dsc_tensor_free(&t);
    Bytes e;
    putDims(e, {0, 5});
    putType(e, DSC_FLOAT);
    EXPECT_EQ(pbError(e), "");
  }
}

TEST(RuntimePb, RefusesUnsupportedAndMalformedTensors) {
  auto withHeader = [](int32_t dtype) {
    Bytes b;
    putDims(b, {2});
    putType(b, dtype);
    return b;
  };
  Bytes b = withHeader(DSC_FLOAT);
  Bytes loc;
  putLen(loc, 1, Bytes{'k'});
  putLen(b, 13, loc); // external_data
  EXPECT_NE(pbError(b).find("external data"), std::string::npos);

  b = withHeader(DSC_FLOAT);
  putKey(b, 14, 0);
  putVarint(b, 1); // data_location = EXTERNAL
  EXPECT_NE(pbError(b).find("external data"), std::string::npos);

  b = withHeader(DSC_FLOAT);
  putLen(b, 3, Bytes{0x08, 0x00}); // segment
  EXPECT_NE(pbError(b).find("segment"), std::string::npos);

  b = withHeader(8); // STRING
  putLen(b, 6, Bytes{'a'});
  EXPECT_NE(pbError(b).find("string"), std::string::npos);

  EXPECT_NE(pbError(withHeader(16)).find("data_type 16"), std::string::npos);
  EXPECT_NE(pbError(Bytes{}).find("data_type 0"), std::string::npos);

  b = withHeader(DSC_FLOAT);
  putLen(b, 9, Bytes(4)); // raw_data of 4 bytes for 2 floats
  EXPECT_NE(pbError(b).find("raw_data has 4 bytes"), std::string::npos);

  b = withHeader(DSC_FLOAT);
  putLen(b, 4, Bytes(4)); // one float for two elements
  EXPECT_NE(pbError(b).find("float_data has 1 values"), std::string::npos);

  b = withHeader(DSC_FLOAT);
  putLen(b, 4, Bytes(5)); // not a multiple of 4
  EXPECT_NE(pbError(b).find("multiple"), std::string::npos);

  b = withHeader(DSC_FLOAT);
  putLen(b, 9, Bytes(8));
  putLen(b, 4, Bytes(8)); // both
  EXPECT_NE(pbError(b).find("both"), std::string::npos);

  b = withHeader(DSC_FLOAT);
  putLen(b, 7, Bytes{1, 2}); // int64_data in a float tensor
  EXPECT_NE(pbError(b).find("int64_data"), std::string::npos);

  b.clear();
  putKey(b, 1, 0);
  putVarint(b, static_cast<uint64_t>(int64_t(-3)));
  putType(b, DSC_FLOAT);
  EXPECT_NE(pbError(b).find("negative"), std::string::npos);

  // Dims whose product overflows.
  b.clear();
  putDims(b, {uint64_t(1) << 62, 8});
  putType(b, DSC_FLOAT);
  EXPECT_NE(pbError(b).find("overflow"), std::string::npos);
  // Dims that promise more data than there is.
  b.clear();
  putDims(b, {uint64_t(1) << 40});
  putType(b, DSC_FLOAT);
  putLen(b, 9, Bytes(4));
  EXPECT_NE(pbError(b), "");

  // Wire-level damage.
  EXPECT_NE(pbError(Bytes{0x08}), "");             // key without value
  EXPECT_NE(pbError(Bytes{0x4a, 0x05, 1}), "");    // length past the end
  EXPECT_NE(pbError(Bytes{0x4a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                          0xff, 0xff, 0x01}),
            "");                                   // huge length
  EXPECT_NE(pbError(Bytes{0x0b}), "");             // group start
  EXPECT_NE(pbError(Bytes{0x00, 0x00}), "");       // field 0
  EXPECT_NE(pbError(Bytes{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                          0xff, 0xff, 0xff, 0x01}),
            "");                                   // 11-byte varint
  EXPECT_NE(pbError(Bytes{0x12, 0x01, 0x01}), ""); // data_type as bytes
  EXPECT_NE(pbError(Bytes{0x25, 0x00}), "");       // truncated fixed32
}

TEST(RuntimePb, EveryPrefixOfAValidTensorFails) {
  Bytes b;
  putDims(b, {2, 2});
  putType(b, DSC_FLOAT);
  putLen(b, 8, Bytes{'t'});
  putLen(b, 9, rawBytes(std::vector<float>{1, 2, 3, 4}));
  ASSERT_EQ(pbError(b), "");
  for (size_t n = 0; n < b.size(); ++n)
    EXPECT_NE(pbError(Bytes(b.begin(), b.begin() + n)), "") << n;
}

// Random corruption of valid files must give a result or an error, never a
// crash (the runtime's fuzz target, runtime/test/tensor_io_fuzz.c, does this
// under ASan with coverage guidance).
TEST(RuntimeTensorIO, SurvivesRandomCorruption) {
  std::vector<Bytes> seeds;
  seeds.push_back(makeNpy(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
      Bytes(16, 0x3f)));
  Bytes pb;
  putDims(pb, {2, 2});
  putType(pb, DSC_INT64);
  Bytes p;
  for (int i = 0; i < 4; ++i)
    putVarint(p, static_cast<uint64_t>(i - 2));
  putLen(pb, 7, p);
  seeds.push_back(pb);
  std::mt19937 rng(1234);
  for (int iter = 0; iter < 20000; ++iter) {
    Bytes b = seeds[iter % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % b.size();
      switch (rng() % 3) {
      case 0:
        b[pos] = static_cast<uint8_t>(rng());
        break;
      case 1:
        b.resize(pos + 1);
        break;
      default:
        b.insert(b.begin() + pos, static_cast<uint8_t>(rng()));
        break;
      }
    }
    dsc_tensor t;
    char err[64];
    if (dsc_npy_parse(b.data(), b.size(), &t, nullptr, 0, err, sizeof(err)) ==
        0) {
      EXPECT_LE(t.num_bytes, b.size());
      dsc_tensor_free(&t);
    }
    if (dsc_pb_parse(b.data(), b.size(), &t, nullptr, 0, err, sizeof(err)) ==
        0) {
      EXPECT_LE(t.num_bytes, 8 * b.size());
      dsc_tensor_free(&t);
    }
  }
}

//===----------------------------------------------------------------------===//
// CPU features
//===----------------------------------------------------------------------===//

TEST(RuntimeCpu, EmptyFeatureListIsSupported) {
  char missing[64] = "junk";
  EXPECT_EQ(dsc_cpu_supports("", missing, sizeof(missing)), 1);
  EXPECT_STREQ(missing, "");
  EXPECT_EQ(dsc_cpu_supports(nullptr, nullptr, 0), 1);
  EXPECT_EQ(dsc_cpu_supports(" , ,", nullptr, 0), 1);
}

TEST(RuntimeCpu, RefusesUnknownFeaturesByName) {
  char missing[64];
  EXPECT_EQ(dsc_cpu_supports("no-such-feature", missing, sizeof(missing)), 0);
  EXPECT_STREQ(missing, "no-such-feature");
  EXPECT_EQ(dsc_cpu_supports(" foo , +bar", missing, sizeof(missing)), 0);
  EXPECT_STREQ(missing, "foo,bar");
  // The message is truncated, not overrun.
  char tiny[4];
  EXPECT_EQ(dsc_cpu_supports("no-such-feature", tiny, sizeof(tiny)), 0);
  EXPECT_STREQ(tiny, "no-");
  // A feature of the other architecture is missing.
#if defined(__x86_64__)
  EXPECT_EQ(dsc_cpu_supports("neon", missing, sizeof(missing)), 0);
#elif defined(__aarch64__)
  EXPECT_EQ(dsc_cpu_supports("avx2", missing, sizeof(missing)), 0);
#endif
  // "-feature" (LLVM's spelling for a disabled feature) needs nothing.
  EXPECT_EQ(dsc_cpu_supports("-no-such-feature", missing, sizeof(missing)), 1);
}

TEST(RuntimeCpu, AgreesWithTheCompilersCpuModel) {
#if defined(__x86_64__)
  EXPECT_EQ(dsc_cpu_supports("sse2", nullptr, 0), 1);
  __builtin_cpu_init();
  struct {
    const char *name;
    bool has;
  } features[] = {
      {"avx", __builtin_cpu_supports("avx") != 0},
      {"avx2", __builtin_cpu_supports("avx2") != 0},
      {"fma", __builtin_cpu_supports("fma") != 0},
      {"avx512f", __builtin_cpu_supports("avx512f") != 0},
      {"avx512bw", __builtin_cpu_supports("avx512bw") != 0},
      {"avx512vl", __builtin_cpu_supports("avx512vl") != 0},
      {"avx512dq", __builtin_cpu_supports("avx512dq") != 0},
      {"avx512vnni", __builtin_cpu_supports("avx512vnni") != 0},
  };
  for (const auto &f : features)
    EXPECT_EQ(dsc_cpu_supports(f.name, nullptr, 0), f.has ? 1 : 0) << f.name;
  EXPECT_STREQ(dsc_runtime_triple(), "x86_64-linux-gnu");
#elif defined(__aarch64__)
  EXPECT_EQ(dsc_cpu_supports("neon", nullptr, 0), 1);
  EXPECT_STREQ(dsc_runtime_triple(), "aarch64-linux-gnu");
#endif
}

//===----------------------------------------------------------------------===//
// Instances
//===----------------------------------------------------------------------===//

const int64_t kShape4[1] = {4};
const dsc_tensor_info kAddInputs[2] = {{"a", DSC_FLOAT, 1, kShape4, nullptr},
                                       {"b", DSC_FLOAT, 1, kShape4, nullptr}};
const dsc_tensor_info kAddOutputs[1] = {
    {"sum", DSC_FLOAT, 1, kShape4, nullptr}};

// c = a + b through the arena (so a shared arena would show).
int32_t addEntry(void **args) {
  const float *a = static_cast<const float *>(args[0]);
  const float *b = static_cast<const float *>(args[1]);
  float *c = static_cast<float *>(args[2]);
  float *scratch = static_cast<float *>(args[3]);
  if (reinterpret_cast<uintptr_t>(scratch) % 64 != 0)
    return 1;
  for (int i = 0; i < 4; ++i)
    scratch[i] = a[i] + b[i];
  for (int i = 0; i < 4; ++i)
    c[i] = scratch[i];
  return 0;
}

int32_t scaleEntry(void **args) {
  const float *x = static_cast<const float *>(args[0]);
  float *y = static_cast<float *>(args[1]);
  for (int i = 0; i < 4; ++i)
    y[i] = 10 * x[i];
  return 0;
}

int32_t failEntry(void **) { return 3; }

dsc_model addModel() {
  dsc_model m = {};
  std::memset(&m, 0, sizeof(m));
  m.name = "add";
  m.num_inputs = 2;
  m.num_outputs = 1;
  m.inputs = kAddInputs;
  m.outputs = kAddOutputs;
  m.arena_size = 64;
  m.target_triple = DSC_RUNTIME_TRIPLE;
  m.cpu_features = "";
  m.entry = addEntry;
  return m;
}

TEST(RuntimeInstance, TwoInstancesAndTwoModelsRunIndependently) {
  dsc_model add = addModel();
  dsc_model scale = addModel();
  scale.name = "scale";
  scale.num_inputs = 1;
  scale.inputs = kAddInputs;
  scale.outputs = kAddOutputs;
  scale.arena_size = 0;
  scale.entry = scaleEntry;

  dsc_status st;
  dsc_instance *i1 = dsc_instance_create(&add, nullptr, 0, &st);
  ASSERT_NE(i1, nullptr) << dsc_status_message(st);
  alignas(64) static unsigned char arena[128];
  dsc_instance *i2 = dsc_instance_create(&add, arena, sizeof(arena), &st);
  ASSERT_NE(i2, nullptr) << dsc_status_message(st);
  dsc_instance *i3 = dsc_instance_create(&scale, nullptr, 0, &st);
  ASSERT_NE(i3, nullptr) << dsc_status_message(st);
  EXPECT_EQ(dsc_instance_model(i1), &add);
  EXPECT_EQ(dsc_instance_model(i3), &scale);

  float a1[4] = {1, 2, 3, 4}, b1[4] = {10, 20, 30, 40}, c1[4] = {};
  float a2[4] = {-1, -2, -3, -4}, b2[4] = {0.5f, 0.5f, 0.5f, 0.5f}, c2[4] = {};
  float y3[4] = {};
  void *in1[2] = {a1, b1}, *out1[1] = {c1};
  void *in2[2] = {a2, b2}, *out2[1] = {c2};
  void *in3[1] = {a1}, *out3[1] = {y3};
  for (int rep = 0; rep < 3; ++rep) {
    ASSERT_EQ(dsc_run(i1, in1, out1), DSC_OK);
    ASSERT_EQ(dsc_run(i2, in2, out2), DSC_OK);
    ASSERT_EQ(dsc_run(i3, in3, out3), DSC_OK);
  }
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(c1[i], a1[i] + b1[i]);
    EXPECT_EQ(c2[i], a2[i] + b2[i]);
    EXPECT_EQ(y3[i], 10 * a1[i]);
  }
  // The caller's arena was the one used.
  float fromArena[4];
  std::memcpy(fromArena, arena, sizeof(fromArena));
  EXPECT_EQ(fromArena[0], a2[0] + b2[0]);

  dsc_instance_destroy(i1);
  dsc_instance_destroy(i2);
  dsc_instance_destroy(i3);
  dsc_instance_destroy(nullptr);
}

TEST(RuntimeInstance, CreateRefusesWithAStatus) {
  dsc_status st = DSC_OK;
  dsc_model m = addModel();
  m.cpu_features = "no-such-feature";
  EXPECT_EQ(dsc_instance_create(&m, nullptr, 0, &st), nullptr);
  EXPECT_EQ(st, DSC_ERR_CPU_UNSUPPORTED);

  m = addModel();
  m.target_triple = "riscv64-linux-gnu";
  EXPECT_EQ(dsc_instance_create(&m, nullptr, 0, &st), nullptr);
  EXPECT_EQ(st, DSC_ERR_TARGET_MISMATCH);

  m = addModel();
  alignas(64) static unsigned char arena[128];
  EXPECT_EQ(dsc_instance_create(&m, arena, 32, &st), nullptr);
  EXPECT_EQ(st, DSC_ERR_ARENA_TOO_SMALL);
  EXPECT_EQ(dsc_instance_create(&m, arena + 8, 64, &st), nullptr);
  EXPECT_EQ(st, DSC_ERR_ARENA_MISALIGNED);

  m.entry = nullptr;
  EXPECT_EQ(dsc_instance_create(&m, nullptr, 0, &st), nullptr);
  EXPECT_EQ(st, DSC_ERR_BAD_MODEL);
  EXPECT_EQ(dsc_instance_create(nullptr, nullptr, 0, &st), nullptr);
  EXPECT_EQ(st, DSC_ERR_INVALID_ARGUMENT);

  const int64_t negative[1] = {-1};
  const dsc_tensor_info badInfo[1] = {{"x", DSC_FLOAT, 1, negative, nullptr}};
  m = addModel();
  m.num_inputs = 1;
  m.inputs = badInfo;
  EXPECT_EQ(dsc_model_validate(&m), DSC_ERR_BAD_MODEL);
  const dsc_tensor_info badType[1] = {{"x", 8, 1, kShape4, nullptr}};
  m.inputs = badType;
  EXPECT_EQ(dsc_model_validate(&m), DSC_ERR_BAD_MODEL);
  // A NULL status pointer is allowed.
  EXPECT_EQ(dsc_instance_create(&m, nullptr, 0, nullptr), nullptr);
}

TEST(RuntimeInstance, RunReportsErrors) {
  dsc_model m = addModel();
  dsc_instance *inst = dsc_instance_create(&m, nullptr, 0, nullptr);
  ASSERT_NE(inst, nullptr);
  float a[4] = {}, c[4] = {};
  void *in[2] = {a, nullptr}, *out[1] = {c};
  EXPECT_EQ(dsc_run(inst, in, out), DSC_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(dsc_run(inst, nullptr, out), DSC_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(dsc_run(nullptr, in, out), DSC_ERR_INVALID_ARGUMENT);
  dsc_instance_destroy(inst);

  m.entry = failEntry;
  inst = dsc_instance_create(&m, nullptr, 0, nullptr);
  ASSERT_NE(inst, nullptr);
  void *ok[2] = {a, a};
  EXPECT_EQ(dsc_run(inst, ok, out), DSC_ERR_RUN_FAILED);
  dsc_instance_destroy(inst);
}

// A per-sample model: x [<=3, 2] (a run-time batch) and a bias [2] read
// whole by every sample; y [<=3, 2] = x + bias, one sample per entry call.
const int64_t kBatchShape[2] = {3, 2}, kBiasShape[1] = {2};
const int64_t kBatchDynamic[2] = {1, 0}, kBiasDynamic[1] = {0};
const dsc_tensor_info kBatchInputs[2] = {{"x", DSC_FLOAT, 2, kBatchShape, kBatchDynamic},
                                         {"bias", DSC_FLOAT, 1, kBiasShape, kBiasDynamic}};
const dsc_tensor_info kBatchOutputs[1] = {{"y", DSC_FLOAT, 2, kBatchShape, kBatchDynamic}};
int sampleCalls = 0;

int32_t sampleEntry(void **args) {
  const float *x = static_cast<const float *>(args[0]);
  const float *bias = static_cast<const float *>(args[1]);
  float *y = static_cast<float *>(args[2]);
  ++sampleCalls;
  for (int i = 0; i < 2; ++i)
    y[i] = x[i] + bias[i];
  return 0;
}

TEST(RuntimeInstance, RunBatchCallsTheEntryOncePerSample) {
  dsc_model m = addModel();
  m.inputs = kBatchInputs;
  m.outputs = kBatchOutputs;
  m.entry = sampleEntry;
  m.per_sample = 3;
  ASSERT_EQ(dsc_model_validate(&m), DSC_OK);
  dsc_instance *inst = dsc_instance_create(&m, nullptr, 0, nullptr);
  ASSERT_NE(inst, nullptr);
  float x[6] = {1, 2, 3, 4, 5, 6}, bias[2] = {10, 100}, y[6] = {};
  void *in[2] = {x, bias}, *out[1] = {y};
  sampleCalls = 0;
  ASSERT_EQ(dsc_run_batch(inst, 2, in, out), DSC_OK);
  EXPECT_EQ(sampleCalls, 2);
  const float two[6] = {11, 102, 13, 104, 0, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(y[i], two[i]) << i;
  // dsc_run runs the bound; 0 samples run nothing; beyond the bound fails.
  sampleCalls = 0;
  ASSERT_EQ(dsc_run(inst, in, out), DSC_OK);
  EXPECT_EQ(sampleCalls, 3);
  EXPECT_EQ(y[4], 15);
  EXPECT_EQ(y[5], 106);
  ASSERT_EQ(dsc_run_batch(inst, 0, in, out), DSC_OK);
  EXPECT_EQ(dsc_run_batch(inst, 4, in, out), DSC_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(dsc_run_batch(inst, -1, in, out), DSC_ERR_INVALID_ARGUMENT);
  dsc_instance_destroy(inst);

  // A model without a run-time batch takes batch 1 only.
  dsc_model add = addModel();
  inst = dsc_instance_create(&add, nullptr, 0, nullptr);
  float a[4] = {1, 2, 3, 4}, c[4] = {};
  void *addIn[2] = {a, a}, *addOut[1] = {c};
  EXPECT_EQ(dsc_run_batch(inst, 1, addIn, addOut), DSC_OK);
  EXPECT_EQ(c[3], 8);
  EXPECT_EQ(dsc_run_batch(inst, 2, addIn, addOut), DSC_ERR_INVALID_ARGUMENT);
  dsc_instance_destroy(inst);

  // A batched tensor whose bound is not the model's batch is malformed.
  m.per_sample = 4;
  EXPECT_EQ(dsc_model_validate(&m), DSC_ERR_BAD_MODEL);
}

TEST(RuntimeInstance, ModelQueries) {
  dsc_model m = addModel();
  EXPECT_EQ(dsc_model_num_inputs(&m), 2);
  EXPECT_EQ(dsc_model_num_outputs(&m), 1);
  EXPECT_EQ(dsc_model_num_inputs(nullptr), 0);
  EXPECT_STREQ(dsc_model_input(&m, 1)->name, "b");
  EXPECT_EQ(dsc_model_input(&m, 2), nullptr);
  EXPECT_EQ(dsc_model_input(&m, -1), nullptr);
  EXPECT_STREQ(dsc_model_output(&m, 0)->name, "sum");
  EXPECT_EQ(dsc_model_output(&m, 1), nullptr);
  EXPECT_EQ(dsc_model_input_index(&m, "b"), 1);
  EXPECT_EQ(dsc_model_input_index(&m, "sum"), -1);
  EXPECT_EQ(dsc_model_output_index(&m, "sum"), 0);
  EXPECT_EQ(dsc_model_input_by_name(&m, "a"), &kAddInputs[0]);
  EXPECT_EQ(dsc_model_input_by_name(&m, "zz"), nullptr);
  EXPECT_EQ(dsc_model_output_by_name(&m, "sum"), &kAddOutputs[0]);
  EXPECT_EQ(dsc_model_output_by_name(&m, nullptr), nullptr);

  uint64_t n = 0;
  size_t bytes = 0;
  EXPECT_EQ(dsc_tensor_info_size(&kAddInputs[0], &n, &bytes), DSC_OK);
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(bytes, 16u);
  const int64_t huge[2] = {INT64_MAX, 4};
  const dsc_tensor_info overflow = {"h", DSC_FLOAT, 2, huge, nullptr};
  EXPECT_EQ(dsc_tensor_info_size(&overflow, &n, &bytes), DSC_ERR_BAD_MODEL);

  EXPECT_EQ(dsc_dtype_size(DSC_FLOAT16), 2u);
  EXPECT_EQ(dsc_dtype_size(DSC_BOOL), 1u);
  EXPECT_EQ(dsc_dtype_size(8), 0u);
  EXPECT_STREQ(dsc_dtype_name(DSC_DOUBLE), "float64");
  EXPECT_STREQ(dsc_dtype_name(99), "unknown");
  for (int s = DSC_OK; s <= DSC_ERR_RUN_FAILED; ++s)
    EXPECT_STRNE(dsc_status_message(static_cast<dsc_status>(s)),
                 "unknown status code");
  EXPECT_STREQ(dsc_status_message(static_cast<dsc_status>(99)),
               "unknown status code");
}

} // namespace
