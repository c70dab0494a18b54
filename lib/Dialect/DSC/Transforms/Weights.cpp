//===- Weights.cpp - Reading and writing constant weights ------------------===//

#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

std::optional<std::vector<float>> dsc::getConstantFloats(Value value) {
  ElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      !attr.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    std::vector<float> values;
    for (APFloat v : dense.getValues<APFloat>())
      values.push_back(v.convertToFloat());
    return values;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    if ((int64_t)data.size() != resource.getNumElements() * 4)
      return std::nullopt;
    std::vector<float> values(resource.getNumElements());
    memcpy(values.data(), data.data(), data.size());
    return values;
  }
  return std::nullopt;
}

Value dsc::createWeightConstant(OpBuilder &builder, Location loc,
                                RankedTensorType type, ArrayRef<float> values,
                                StringRef name) {
  ElementsAttr attr;
  if (values.size() > 64) {
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>((const char *)values.data(), values.size() * 4), alignof(float));
    attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
  } else {
    attr = DenseElementsAttr::get(type, values);
  }
  return builder.create<ConstantOp>(loc, attr);
}
