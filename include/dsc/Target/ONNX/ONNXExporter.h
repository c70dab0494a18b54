//===- ONNXExporter.h - Write a dsc module as an ONNX model -----*- C++ -*-===//
//
// The way back from dsc to ONNX, so a compressed model (folded, pruned,
// quantized) runs in any ONNX runtime. @main becomes the graph (opset 21,
// IR 10): its arguments the inputs, its results the outputs (names from
// `dsc.name`), constants the initializers, every other op one node of its
// ONNX op type (the importer's table read backwards) with its attributes;
// fused ops expand back into their ONNX nodes, and quantized convs are
// written in QDQ form (DequantizeLinear -> Conv -> QuantizeLinear), which
// ONNX Runtime fuses into its integer kernels. An op with no ONNX form
// (regions, or an op the exporter does not know) is refused with its name.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_TARGET_ONNX_ONNXEXPORTER_H
#define DSC_TARGET_ONNX_ONNXEXPORTER_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace dsc {

/// Serialises `module` (dsc dialect, with @main) as an ONNX ModelProto
/// into `bytes`; on failure, errors are emitted on the offending ops.
mlir::LogicalResult exportONNXModel(mlir::ModuleOp module, std::string &bytes);

} // namespace dsc

#endif // DSC_TARGET_ONNX_ONNXEXPORTER_H
