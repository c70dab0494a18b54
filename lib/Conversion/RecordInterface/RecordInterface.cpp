//===- RecordInterface.cpp - Record the model interface for emission -------===//
//
// After lowering, @main's arguments are bare pointers; object emission still
// needs the ONNX names, element types and shapes of the inputs and outputs
// (for the header and the model descriptor the runtime reads) and the
// target. This pass stores them as module attributes before lowering and
// renames @main to dsc_forward.
//
//===----------------------------------------------------------------------===//

#include "dsc/Conversion/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace dsc {
#define GEN_PASS_DEF_RECORDMODELINTERFACE
#include "dsc/Conversion/Passes.h.inc"
} // namespace dsc

using namespace mlir;

namespace {

/// {name, type[, bounds]} dictionaries, one per tensor. A tensor split
/// into samples (`dsc.batch_bound = N`, from dsc-split-batch) is recorded
/// as it is at the interface: axis 0 a run-time dim with bound N.
ArrayAttr describe(Builder &b, TypeRange types,
                   function_ref<Attribute(unsigned)> nameOf,
                   function_ref<Attribute(unsigned)> boundsOf,
                   function_ref<IntegerAttr(unsigned)> batchBoundOf) {
  SmallVector<Attribute> entries;
  for (auto [i, sampleType] : llvm::enumerate(types)) {
    Type type = sampleType;
    Attribute bounds = boundsOf(i);
    auto ranked = dyn_cast<RankedTensorType>(sampleType);
    if (IntegerAttr batch = batchBoundOf(i); batch && ranked && ranked.getRank() > 0) {
      SmallVector<int64_t> shape(ranked.getShape()), bound(ranked.getShape());
      shape[0] = ShapedType::kDynamic;
      bound[0] = batch.getInt();
      type = RankedTensorType::get(shape, ranked.getElementType());
      bounds = b.getDenseI64ArrayAttr(bound);
    }
    SmallVector<NamedAttribute> fields = {
        b.getNamedAttr("name", nameOf(i) ? nameOf(i)
                                         : b.getStringAttr("output" + std::to_string(i))),
        b.getNamedAttr("type", TypeAttr::get(type))};
    if (bounds)
      fields.push_back(b.getNamedAttr("bounds", bounds));
    entries.push_back(b.getDictionaryAttr(fields));
  }
  return b.getArrayAttr(entries);
}

struct RecordModelInterfacePass
    : dsc::impl::RecordModelInterfaceBase<RecordModelInterfacePass> {
  using RecordModelInterfaceBase::RecordModelInterfaceBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main) {
      module.emitError() << "the module has no func.func @main to compile";
      return signalPassFailure();
    }
    if (targetTriple != "x86_64-linux-gnu" && targetTriple != "aarch64-linux-gnu") {
      module.emitError() << "unsupported target '" << targetTriple
                         << "': use x86_64-linux-gnu or aarch64-linux-gnu";
      return signalPassFailure();
    }
    std::string cpu = targetCpu;
    if (cpu.empty())
      cpu = targetTriple == "x86_64-linux-gnu" ? "x86-64-v3" : "cortex-a76";
    Builder b(module.getContext());
    module->setAttr("dsc.target_triple", b.getStringAttr(targetTriple));
    module->setAttr("dsc.target_cpu", b.getStringAttr(cpu));
    FunctionType type = main.getFunctionType();
    module->setAttr("dsc.inputs",
                    describe(b, type.getInputs(),
                             [&](unsigned i) { return main.getArgAttr(i, "dsc.name"); },
                             [&](unsigned i) { return main.getArgAttr(i, "dsc.dim_bounds"); },
                             [&](unsigned i) {
                               return main.getArgAttrOfType<IntegerAttr>(i, "dsc.batch_bound");
                             }));
    module->setAttr("dsc.outputs",
                    describe(b, type.getResults(),
                             [&](unsigned i) { return main.getResultAttr(i, "dsc.name"); },
                             [](unsigned) { return Attribute(); },
                             [&](unsigned i) {
                               return main.getResultAttrOfType<IntegerAttr>(i, "dsc.batch_bound");
                             }));
    main.setSymName("dsc_forward");
    // The names live in the module attributes now; LLVM has no use for them.
    for (unsigned i = 0; i < main.getNumArguments(); ++i)
      main.setArgAttrs(i, ArrayRef<NamedAttribute>{});
    for (unsigned i = 0; i < main.getNumResults(); ++i)
      main.setResultAttrs(i, ArrayRef<NamedAttribute>{});
  }
};

} // namespace
