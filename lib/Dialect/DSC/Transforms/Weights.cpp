//===- Weights.cpp - Reading and writing constant weights ------------------===//

#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringExtras.h"

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

/// A resource key the parser reads back: letters, digits, '_' and '.'
/// (ONNX node names such as "/conv1/Conv" become "_conv1_Conv"), not
/// starting with a digit.
static std::string resourceKey(StringRef name) {
  std::string key = name.empty() ? "weight" : name.str();
  for (char &c : key)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  if (llvm::isDigit(key[0]))
    key.insert(0, "w");
  return key;
}


std::optional<std::vector<float>> dsc::getPerAxisConstant(Value c, int64_t rank, int64_t axis,
                                                          int64_t count) {
  auto type = dyn_cast<RankedTensorType>(c.getType());
  if (!type || type.getRank() > rank)
    return std::nullopt;
  auto values = getConstantFloats(c);
  if (!values)
    return std::nullopt;
  if (values->size() == 1)
    return std::vector<float>(count, values->front());
  // The constant's dim i stands at the tensor's dim i + (rank - its rank).
  int64_t constAxis = axis - (rank - type.getRank());
  if (constAxis < 0 || (int64_t)values->size() != count)
    return std::nullopt;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.getDimSize(i) != (i == constAxis ? count : 1))
      return std::nullopt;
  return values;
}

ElementsAttr dsc::createWeightAttr(RankedTensorType type, ArrayRef<float> values,
                                  StringRef name) {
  if (values.size() <= 64)
    return DenseElementsAttr::get(type, values);
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>((const char *)values.data(), values.size() * sizeof(float)),
      alignof(float));
  return DenseResourceElementsAttr::get(type, resourceKey(name), std::move(blob));
}

Value dsc::createWeightConstant(OpBuilder &builder, Location loc,
                                RankedTensorType type, ArrayRef<float> values,
                                StringRef name) {
  return builder.create<ConstantOp>(loc, createWeightAttr(type, values, name));
}

Value dsc::createIntegerWeightConstant(OpBuilder &builder, Location loc,
                                       RankedTensorType type, ArrayRef<int64_t> values,
                                       StringRef name) {
  unsigned width = type.getElementTypeBitWidth();
  // Little-endian bytes of `width`-bit integers, the layout both dense and
  // resource attributes hold.
  std::vector<char> bytes(values.size() * width / 8);
  for (size_t i = 0; i < values.size(); ++i)
    for (unsigned b = 0; b < width / 8; ++b)
      bytes[i * width / 8 + b] = (char)((uint64_t)values[i] >> (8 * b));
  ElementsAttr attr;
  if (values.size() <= 64) {
    bool isSplat = false;
    (void)DenseElementsAttr::isValidRawBuffer(type, bytes, isSplat);
    attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
  } else {
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, width / 8);
    attr = DenseResourceElementsAttr::get(type, resourceKey(name), std::move(blob));
  }
  return builder.create<ConstantOp>(loc, attr);
}

void dsc::expandTransposedConvWeights(ArrayRef<float> weights, ArrayRef<float> bias,
                                      int64_t channels, int64_t filters, int64_t taps,
                                      std::vector<float> &pointwise,
                                      std::vector<float> &expandedBias) {
  int64_t expanded = filters * taps;
  pointwise.assign(expanded * channels, 0.0f);
  expandedBias.assign(expanded, 0.0f);
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t f = 0; f < filters; ++f)
      for (int64_t t = 0; t < taps; ++t)
        pointwise[(f * taps + t) * channels + c] = weights[(c * filters + f) * taps + t];
  if (!bias.empty())
    for (int64_t f = 0; f < filters; ++f)
      for (int64_t t = 0; t < taps; ++t)
        expandedBias[f * taps + t] = bias[f];
}
