//===- MaterializeOutputs.cpp - One fresh buffer per returned value --------===//
//
// buffer-results-to-out-params turns each returned buffer into a caller
// provided one by replacing its allocation; an output with no allocation of
// its own (a function argument, a global, an output returned twice) is
// copied into one first.
//
//===----------------------------------------------------------------------===//

#include "dsc/Conversion/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace dsc {
#define GEN_PASS_DEF_MATERIALIZEOUTPUTS
#include "dsc/Conversion/Passes.h.inc"
} // namespace dsc

using namespace mlir;

namespace {
struct MaterializeOutputsPass
    : dsc::impl::MaterializeOutputsBase<MaterializeOutputsPass> {
  void runOnOperation() override {
    getOperation().walk([&](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 8> seen;
      OpBuilder builder(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<MemRefType>(value.getType());
        if (!type || !type.hasStaticShape())
          continue;
        bool ownAlloc = value.getDefiningOp<memref::AllocOp>() != nullptr;
        if (ownAlloc && seen.insert(value).second)
          continue;
        auto copyType = MemRefType::get(type.getShape(), type.getElementType());
        Value copy = builder.create<memref::AllocOp>(ret.getLoc(), copyType);
        builder.create<memref::CopyOp>(ret.getLoc(), value, copy);
        operand.set(copy);
        seen.insert(copy);
      }
    });
  }
};
} // namespace
