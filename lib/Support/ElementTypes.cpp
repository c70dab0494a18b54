//===- ElementTypes.cpp - MLIR element types as ONNX data types ------------===//

#include "dsc/Support/ElementTypes.h"

#include "mlir/IR/BuiltinTypes.h"

int32_t dsc::onnxDataType(mlir::Type type) {
  if (type.isF32())
    return 1;
  if (type.isF16())
    return 10;
  if (type.isF64())
    return 11;
  if (type.isBF16())
    return 16;
  if (auto i = llvm::dyn_cast<mlir::IntegerType>(type)) {
    bool u = i.isUnsigned();
    switch (i.getWidth()) {
    case 1:
      return 9;
    case 4:
      return u ? 21 : 22;
    case 8:
      return u ? 2 : 3;
    case 16:
      return u ? 4 : 5;
    case 32:
      return u ? 12 : 6;
    case 64:
      return u ? 13 : 7;
    }
  }
  return 0;
}
