//===- LowerMemRefCopies.cpp - memref.copy -> linalg.copy ------------------===//
//
// Keeps generated code free of calls into MLIR's runner library: a copy
// becomes a linalg.copy, which lowers to loops like any other linalg op.
//
//===----------------------------------------------------------------------===//

#include "dsc/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace dsc {
#define GEN_PASS_DEF_LOWERMEMREFCOPIES
#include "dsc/Conversion/Passes.h.inc"
} // namespace dsc

using namespace mlir;

namespace {
struct LowerMemRefCopiesPass
    : dsc::impl::LowerMemRefCopiesBase<LowerMemRefCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    for (memref::CopyOp copy : copies) {
      OpBuilder builder(copy);
      builder.create<linalg::CopyOp>(copy.getLoc(), copy.getSource(),
                                     copy.getTarget());
      copy.erase();
    }
  }
};
} // namespace
