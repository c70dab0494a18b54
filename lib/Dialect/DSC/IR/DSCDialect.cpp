//===- DSCDialect.cpp - The dsc dialect ------------------------------------===//
//
// Registers the dsc ops and materialises folded constants as dsc.constant.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "dsc/Dialect/DSC/IR/DSCOps.h"

using namespace mlir;
using namespace dsc;

#include "dsc/Dialect/DSC/IR/DSCDialect.cpp.inc"

void DSCDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dsc/Dialect/DSC/IR/DSCOps.cpp.inc"
      >();
}

Operation *DSCDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, elements);
}
