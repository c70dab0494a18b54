//===- ElementTypes.h - MLIR element types as ONNX data types ---*- C++ -*-===//
//
// The ONNX TensorProto data type code of an element type, shared by the
// object emitter (the model descriptor and header) and the ONNX exporter.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_SUPPORT_ELEMENTTYPES_H
#define DSC_SUPPORT_ELEMENTTYPES_H

#include "mlir/IR/Types.h"

#include <cstdint>

namespace dsc {

/// TensorProto.DataType of `type` (float, float16, double, bfloat16, bool,
/// signed/unsigned 4/8/16/32/64-bit integers); 0 when ONNX has none.
int32_t onnxDataType(mlir::Type type);

} // namespace dsc

#endif // DSC_SUPPORT_ELEMENTTYPES_H
