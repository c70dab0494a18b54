//===- ExposeIntermediates.cpp - Every tensor an output of @main -----------===//
//
// For debugging a compiled model on its device (the harness's --dump-all)
// and for the tools that look inside a model (dsc-calibrate, dsc-fidelity
// --per-layer): the float tensors observedTensors() names become extra
// results of @main, after the model's own, each named <prefix><key>.
// Exposed values keep the graph as it is (a value with a use outside its
// consumer does not fuse or fold away), so each is the tensor its ONNX node
// computes.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Builders.h"

namespace dsc {
#define GEN_PASS_DEF_EXPOSEINTERMEDIATES
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"
} // namespace dsc

using namespace mlir;

std::vector<std::string> dsc::exposeIntermediates(func::FuncOp main, StringRef prefix) {
  auto observed = observedTensors(main);
  auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
  unsigned first = ret.getNumOperands();
  std::vector<std::string> keys;
  SmallVector<Value> operands(ret.getOperands());
  for (auto &[value, key] : observed) {
    operands.push_back(value);
    keys.push_back(key);
  }
  Builder b(main.getContext());
  SmallVector<DictionaryAttr> resultAttrs;
  for (unsigned i = 0; i < first; ++i)
    resultAttrs.push_back(main.getResultAttrDict(i) ? main.getResultAttrDict(i)
                                                    : b.getDictionaryAttr({}));
  // A model split into samples (dsc-split-batch) exposes a batched
  // tensor as a batched output, one sample per entry call.
  auto bound = main->getParentOfType<ModuleOp>()
                   ? main->getParentOfType<ModuleOp>()->getAttr("dsc.per_sample")
                   : Attribute();
  for (auto [key, entry] : llvm::zip(keys, observed)) {
    SmallVector<NamedAttribute> attrs = {
        b.getNamedAttr("dsc.name", b.getStringAttr(prefix + key))};
    Operation *def = entry.first.getDefiningOp();
    if (bound && def && def->hasAttr("dsc.batched"))
      attrs.push_back(b.getNamedAttr("dsc.batch_bound", bound));
    resultAttrs.push_back(b.getDictionaryAttr(attrs));
  }
  ret->setOperands(operands);
  SmallVector<Type> results(ret.getOperandTypes());
  main.setFunctionType(FunctionType::get(main.getContext(), main.getArgumentTypes(), results));
  main.setAllResultAttrs(resultAttrs);
  return keys;
}

namespace {

struct ExposeIntermediatesPass
    : dsc::impl::ExposeIntermediatesBase<ExposeIntermediatesPass> {
  void runOnOperation() override {
    auto main = getOperation().lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      getOperation().emitError() << "dsc-expose-intermediates: the module has no @main";
      return signalPassFailure();
    }
    dsc::exposeIntermediates(main, "dsc.intermediate.");
  }
};

} // namespace
