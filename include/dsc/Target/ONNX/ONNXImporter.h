//===- ONNXImporter.h - ONNX to dsc dialect ---------------------*- C++ -*-===//
//
// Imports an ONNX model (binary protobuf, or ONNX's textual syntax) into a
// module holding one `func.func @main` of dsc ops.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_TARGET_ONNX_ONNXIMPORTER_H
#define DSC_TARGET_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dsc {

struct ONNXImportOptions {
  /// --input-shape NAME=d0,d1,...: pins every dim of a graph input.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// --dim-bound NAME:AXIS=N: compile-time bound of a run-time dim.
  std::map<std::pair<std::string, int64_t>, int64_t> dimBounds;
  /// Default bound of a dynamic batch axis (axis 0).
  int64_t defaultBatchBound = 1;
  /// Constants with more elements than this are stored as resource blobs.
  int64_t resourceThreshold = 64;
  /// Only collect unsupported ops (for --list-unsupported); builds nothing.
  bool listUnsupportedOnly = false;
};

/// One unsupported op type found by --list-unsupported.
struct UnsupportedOpReport {
  std::string opType;
  std::string domain;
  int64_t opset = 0;
  std::vector<std::string> nodeNames;
};

/// Imports the model at `path`. On failure, diagnostics naming the ONNX node,
/// op type, domain and opset were emitted through `context` and the result
/// is null.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXModel(llvm::StringRef path, mlir::MLIRContext *context,
                const ONNXImportOptions &options);

/// Lists the op types of the model at `path` that dsc cannot import. Returns
/// false (after emitting a diagnostic) when the file itself cannot be read.
bool listUnsupportedONNXOps(llvm::StringRef path, mlir::MLIRContext *context,
                            std::vector<UnsupportedOpReport> &unsupported);

/// One row of the importer's table: an ONNX op, the opsets it is imported
/// for, and the dsc op it becomes.
struct ONNXOpSupport {
  std::string opType;
  int minOpset;
  int maxOpset;
  std::string dscOps;
  std::string notes;
};

/// The importer's table, for docs/ops.md.
std::vector<ONNXOpSupport> getSupportedONNXOps();

/// Parses "NAME=d0,d1,..." into `options`; returns an error message or "".
std::string parseInputShapeOption(llvm::StringRef text,
                                  ONNXImportOptions &options);
/// Parses "NAME:AXIS=N" into `options`; returns an error message or "".
std::string parseDimBoundOption(llvm::StringRef text,
                                ONNXImportOptions &options);

} // namespace dsc

#endif // DSC_TARGET_ONNX_ONNXIMPORTER_H
