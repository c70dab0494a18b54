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

ElementsAttr dsc::createWeightAttr(RankedTensorType type, ArrayRef<float> values,
                                  StringRef name) {
  if (values.size() <= 64)
    return DenseElementsAttr::get(type, values);
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>((const char *)values.data(), values.size() * sizeof(float)),
      alignof(float));
  return DenseResourceElementsAttr::get(type, name, std::move(blob));
}

Value dsc::createWeightConstant(OpBuilder &builder, Location loc,
                                RankedTensorType type, ArrayRef<float> values,
                                StringRef name) {
  return builder.create<ConstantOp>(loc, createWeightAttr(type, values, name));
}
