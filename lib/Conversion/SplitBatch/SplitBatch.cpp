//===- SplitBatch.cpp - A run-time batch axis as one sample per call ------===//
//
// A model whose inputs have a run-time dim on axis 0 computes, for a batch
// of n <= N samples, y[i] = f(x[i]) for each sample i when no op mixes
// samples. Then the one-sample program f (the model at batch 1) is all the
// code needs: the runtime calls it n times, stepping every batched input
// and output by one sample. This pass proves the independence op by op,
// retypes the batch to 1 and records which inputs and outputs are batched.
//
// "Batched" tensors are those with a run-time dim on axis 0. An op that
// reads one must map sample i of its batched operands to sample i of its
// (batched) results and nothing else; the rules per op are in
// checkSeparable. Every other tensor must not depend on the batch size.
//
//===----------------------------------------------------------------------===//

#include "dsc/Conversion/Passes.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

namespace dsc {
#define GEN_PASS_DEF_SPLITBATCH
#include "dsc/Conversion/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

RankedTensorType rankedType(Value v) { return dyn_cast<RankedTensorType>(v.getType()); }

/// A run-time dim on axis 0 and nowhere else.
bool isBatched(Value v) {
  auto type = rankedType(v);
  return type && type.getRank() > 0 && type.isDynamicDim(0);
}

/// The dynamic dims of a tensor other than a batch axis 0.
bool hasOtherDynamicDims(Value v) {
  auto type = rankedType(v);
  if (!type)
    return false;
  for (int64_t d = 1; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      return true;
  return false;
}

/// An axis attribute or constant, normalised to [0, rank).
int64_t normalizedAxis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

/// Whether a constant list of axes (an operand) leaves axis 0 alone; an
/// absent operand counts as "every axis" when `emptyMeansAll`.
bool axesSpareBatch(Value axes, int64_t rank, bool emptyMeansAll) {
  if (!axes)
    return !emptyMeansAll;
  DenseIntElementsAttr values;
  if (!matchPattern(axes, m_Constant(&values)))
    return false;
  if (values.getNumElements() == 0)
    return !emptyMeansAll;
  for (APInt a : values.getValues<APInt>())
    if (normalizedAxis(a.getSExtValue(), rank) == 0)
      return false;
  return true;
}

/// An integer attribute, or its default when the op leaves it unset
/// (DefaultValuedAttr attributes are not stored).
int64_t intAttr(Operation *op, StringRef name, int64_t byDefault) {
  auto attr = op->getAttrOfType<IntegerAttr>(name);
  return attr ? attr.getInt() : byDefault;
}

struct SplitBatchPass : dsc::impl::SplitBatchBase<SplitBatchPass> {
  /// Why `op` (which reads at least one batched tensor) may mix samples,
  /// or "" when it computes each sample on its own.
  std::string checkSeparable(Operation *op) {
    auto batchedOperand = [&](unsigned i) {
      return i < op->getNumOperands() && isBatched(op->getOperand(i));
    };
    auto onlyFirstBatched = [&]() {
      for (unsigned i = 1; i < op->getNumOperands(); ++i)
        if (isBatched(op->getOperand(i)))
          return false;
      return true;
    };
    // A fused conv/matmul's residual is added per element: batched like
    // the result.
    auto onlyInputOrResidualBatched = [&]() {
      for (unsigned i = 1; i < op->getNumOperands(); ++i) {
        Value operand = op->getOperand(i);
        if (!isBatched(operand))
          continue;
        Value residual;
        if (auto conv = dyn_cast<ConvFusedOp>(op))
          residual = conv.getResidual();
        else if (auto mm = dyn_cast<MatMulFusedOp>(op))
          residual = mm.getResidual();
        if (operand != residual ||
            rankedType(operand).getRank() != rankedType(op->getResult(0)).getRank())
          return false;
      }
      return true;
    };
    auto resultsBatched = [&]() {
      return llvm::all_of(op->getResults(), [](Value r) { return isBatched(r); });
    };
    int64_t rank = op->getNumOperands() ? (rankedType(op->getOperand(0))
                                               ? rankedType(op->getOperand(0)).getRank()
                                               : 0)
                                        : 0;

    // Elementwise, with numpy broadcasting: sample i of the result reads
    // sample i of each batched operand (same rank as the result, so its
    // axis 0 is the result's) and the whole of each unbatched one, whose
    // axis 0 (if it reaches the result's) must be 1.
    if (op->hasTrait<OpTrait::SameOperandsAndResultShape>() ||
        isa<AddOp, SubOp, MulOp, DivOp, PowOp, MaxOp, MinOp, ModOp, PReluOp, AndOp, OrOp,
            XorOp, EqualOp, LessOp, LessOrEqualOp, GreaterOp, GreaterOrEqualOp, WhereOp,
            ClipOp, CastOp, DropoutOp, ElementwiseOp>(op)) {
      if (op->getNumResults() == 0 || !resultsBatched())
        return "its result is not batched";
      int64_t resultRank = rankedType(op->getResult(0)).getRank();
      for (Value operand : op->getOperands()) {
        auto type = rankedType(operand);
        if (!type)
          continue;
        if (isBatched(operand) ? type.getRank() != resultRank
                               : type.getRank() == resultRank && type.getDimSize(0) != 1)
          return "it broadcasts along the batch axis";
      }
      return "";
    }
    if (isa<QuantizeLinearOp, DequantizeLinearOp>(op)) {
      // (x, scale, zero_point) per tensor or along `axis`.
      auto scale = rankedType(op->getOperand(1));
      int64_t axis = intAttr(op, "axis", 1);
      return onlyFirstBatched() && resultsBatched() &&
                     (scale.getNumElements() == 1 || normalizedAxis(axis, rank) != 0)
                 ? ""
                 : "its scale runs along the batch axis";
    }

    // Per-sample ops: a batched input, constant (unbatched) parameters.
    if (isa<ConvOp, ConvFusedOp, ConvTransposeOp, ConvIntegerOp, QLinearConvOp, BatchNormOp,
            InstanceNormOp, MaxPoolOp, AveragePoolOp, GlobalAveragePoolOp, GlobalMaxPoolOp,
            DepthToSpaceOp, SpaceToDepthOp, ResizeOp>(op))
      return batchedOperand(0) && onlyInputOrResidualBatched() && resultsBatched()
                 ? ""
                 : "a parameter is batched, or the batch axis is resized";

    // Ops along an axis: any axis but 0.
    if (auto softmax = dyn_cast<SoftmaxOp>(op))
      return normalizedAxis(softmax.getAxis(), rank) != 0 ? "" : "it normalizes over the batch";
    if (auto softmax = dyn_cast<LogSoftmaxOp>(op))
      return normalizedAxis(softmax.getAxis(), rank) != 0 ? "" : "it normalizes over the batch";
    if (auto norm = dyn_cast<LayerNormOp>(op))
      return normalizedAxis(norm.getAxis(), rank) != 0 && onlyFirstBatched()
                 ? ""
                 : "it normalizes over the batch";
    if (isa<ReduceMeanOp, ReduceSumOp, ReduceMaxOp, ReduceMinOp, ReduceProdOp, ReduceL1Op,
            ReduceL2Op, ReduceSumSquareOp, ReduceLogSumExpOp>(op)) {
      bool noop = intAttr(op, "noop_with_empty_axes", 0) != 0;
      return axesSpareBatch(op->getOperand(1), rank, !noop) && resultsBatched()
                 ? ""
                 : "it reduces over the batch";
    }
    if (isa<ArgMaxOp, ArgMinOp>(op)) {
      return normalizedAxis(intAttr(op, "axis", 0), rank) != 0 ? "" : "it reduces over the batch";
    }
    if (auto transpose = dyn_cast<TransposeOp>(op)) {
      auto perm = transpose.getPerm();
      return !perm.empty() && perm[0] == 0 ? "" : "it moves the batch axis";
    }
    if (isa<ReshapeOp, FlattenOp>(op)) {
      // Each sample keeps its elements: [n, s...] -> [n, t...], s and t
      // static with equal products.
      auto in = rankedType(op->getOperand(0)), out = rankedType(op->getResult(0));
      if (!resultsBatched() || hasOtherDynamicDims(op->getOperand(0)) ||
          hasOtherDynamicDims(op->getResult(0)))
        return "it merges the batch with other axes";
      int64_t inRest = 1, outRest = 1;
      for (int64_t d = 1; d < in.getRank(); ++d)
        inRest *= in.getDimSize(d);
      for (int64_t d = 1; d < out.getRank(); ++d)
        outRest *= out.getDimSize(d);
      return inRest == outRest ? "" : "it merges the batch with other axes";
    }
    if (isa<SqueezeOp, UnsqueezeOp>(op)) {
      // Axis 0 stays the batch when the axes operand spares it.
      return op->getNumOperands() > 1 && axesSpareBatch(op->getOperand(1), rank, true) &&
                     axesSpareBatch(op->getOperand(1),
                                    rankedType(op->getResult(0)).getRank(), true) &&
                     resultsBatched()
                 ? ""
                 : "it squeezes or inserts axis 0";
    }
    if (auto concat = dyn_cast<ConcatOp>(op)) {
      bool allBatched = llvm::all_of(op->getOperands(), [](Value v) { return isBatched(v); });
      return allBatched && normalizedAxis(concat.getAxis(), rank) != 0
                 ? ""
                 : "it joins along the batch axis, or joins an unbatched tensor";
    }
    if (auto split = dyn_cast<SplitOp>(op))
      return batchedOperand(0) && onlyFirstBatched() &&
                     normalizedAxis(split.getAxis(), rank) != 0 && resultsBatched()
                 ? ""
                 : "it splits the batch axis";
    if (auto slice = dyn_cast<SliceOp>(op))
      return batchedOperand(0) && onlyFirstBatched() &&
                     axesSpareBatch(slice.getAxes(), rank, true) && resultsBatched()
                 ? ""
                 : "it slices the batch axis";
    if (auto gather = dyn_cast<GatherOp>(op))
      return batchedOperand(0) && onlyFirstBatched() &&
                     normalizedAxis(gather.getAxis(), rank) != 0 && resultsBatched()
                 ? ""
                 : "it gathers along the batch axis";
    if (auto pad = dyn_cast<PadOp>(op)) {
      DenseIntElementsAttr pads;
      if (!batchedOperand(0) || !onlyFirstBatched() ||
          !matchPattern(pad.getPads(), m_Constant(&pads)))
        return "its pads are not constant";
      auto values = llvm::to_vector(pads.getValues<APInt>());
      return values.size() == 2 * size_t(rank) && values[0].isZero() && values[rank].isZero()
                 ? ""
                 : "it pads the batch axis";
    }
    if (auto gemm = dyn_cast<GemmOp>(op)) {
      // Rows of a are the samples; c may broadcast along them.
      Value c = gemm.getC();
      bool cPerSample = !c || rankedType(c).getRank() < 2 || rankedType(c).getDimSize(0) == 1;
      return batchedOperand(0) && onlyFirstBatched() && !gemm.getTransA() && cPerSample
                 ? ""
                 : "the batch is not the rows of a";
    }
    if (isa<MatMulOp, MatMulFusedOp, MatMulIntegerOp, QLinearMatMulOp, MatMulWeightOnlyOp>(op)) {
      // a [n, ..., m, k]: the rows (rank 2) or the leading batch axis.
      // A batched b shares a's leading batch axis (rank >= 3 on both).
      auto a = rankedType(op->getOperand(0));
      int64_t resultRank = rankedType(op->getResult(0)).getRank();
      if (!batchedOperand(0) || a.getRank() < 2 || a.getRank() != resultRank)
        return "the batch is not a leading axis of a";
      for (unsigned i = 1; i < op->getNumOperands(); ++i) {
        auto type = rankedType(op->getOperand(i));
        if (!type)
          continue;
        bool residual = false;
        if (auto mm = dyn_cast<MatMulFusedOp>(op))
          residual = op->getOperand(i) == mm.getResidual();
        if (isBatched(op->getOperand(i)) ? (type.getRank() != resultRank ||
                                            (!residual && (i != 1 || resultRank < 3)))
                                         : (type.getRank() == resultRank && resultRank >= 3 &&
                                            type.getDimSize(0) != 1))
          return "it contracts or broadcasts along the batch axis";
      }
      return "";
    }
    if (isa<AttentionOp>(op)) {
      for (Value operand : op->getOperands()) {
        auto type = rankedType(operand);
        if (type && !isBatched(operand) && type.getRank() == rankedType(op->getResult(0)).getRank() &&
            type.getDimSize(0) != 1)
          return "its mask broadcasts along the batch axis";
      }
      return resultsBatched() ? "" : "its result is not batched";
    }
    if (isa<ShapeOp, SizeOp>(op))
      return "it reads the batch size";
    if (isa<DynamicQuantizeLinearOp>(op))
      return "its scale is computed over the whole batch";
    if (isa<LSTMOp, GRUOp>(op))
      return "its batch is axis 1 of the sequence";
    if (op->getNumRegions() > 0)
      return "control flow reads it";
    return "it is not known to compute each sample on its own";
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal())
      return;
    FunctionType type = main.getFunctionType();
    bool anyDynamic = false;
    for (Type t : llvm::concat<const Type>(type.getInputs(), type.getResults()))
      if (auto ranked = dyn_cast<RankedTensorType>(t))
        anyDynamic |= !ranked.hasStaticShape();
    if (!anyDynamic)
      return;

    // The inputs: run-time dims only on axis 0, one bound for all.
    int64_t bound = 0;
    bool failed = false;
    for (auto [i, arg] : llvm::enumerate(main.getArguments())) {
      auto name = main.getArgAttrOfType<StringAttr>(i, "dsc.name");
      std::string input = name ? name.str() : ("#" + std::to_string(i));
      if (hasOtherDynamicDims(arg)) {
        auto argType = rankedType(arg);
        int64_t axis = 1;
        while (!argType.isDynamicDim(axis))
          ++axis;
        main.emitError() << "input '" << input << "': axis " << axis
                         << " is a run-time dim; only a batch axis (axis 0) can be one. "
                            "Pin it with --input-shape "
                         << input << "=d0,d1,...";
        failed = true;
        continue;
      }
      if (!isBatched(arg))
        continue;
      auto bounds = main.getArgAttrOfType<DenseI64ArrayAttr>(i, "dsc.dim_bounds");
      int64_t inputBound = bounds && bounds.size() > 0 ? bounds[0] : 1;
      if (bound && inputBound != bound) {
        main.emitError() << "input '" << input << "': batch bound " << inputBound
                         << " differs from another input's " << bound
                         << "; give every batched input the same --dim-bound";
        failed = true;
      }
      bound = std::max(bound, inputBound);
    }
    if (failed)
      return signalPassFailure();
    // No batched input: run-time dims that come from values (ConstantOfShape,
    // Range, ...) are the lowering's to refuse.
    if (bound == 0)
      return;

    // Every op that reads a batched tensor computes each sample on its own.
    main.walk([&](Operation *op) {
      if (op == main.getOperation() || isa<func::ReturnOp>(op))
        return;
      bool reads = llvm::any_of(op->getOperands(), isBatched);
      // Regions reading batched values from outside count as reads.
      for (Region &region : op->getRegions())
        region.walk([&](Operation *inner) {
          for (Value v : inner->getOperands())
            if (isBatched(v) && !op->isAncestor(v.getParentBlock()->getParentOp()))
              reads = true;
        });
      if (!reads) {
        for (Value result : op->getResults())
          if (isBatched(result) || hasOtherDynamicDims(result)) {
            op->emitError() << "node '" << layerName(op) << "' (" << op->getName()
                            << ") makes a tensor whose shape depends on the run-time "
                               "batch; pin the batch with --input-shape";
            failed = true;
          }
        return;
      }
      if (op->getParentOp() != main.getOperation()) {
        op->emitError() << "node '" << layerName(op) << "' (" << op->getName()
                        << ") reads the run-time batch inside control flow; pin the "
                           "batch with --input-shape";
        failed = true;
        return;
      }
      std::string why = checkSeparable(op);
      if (why.empty())
        for (Value result : op->getResults())
          if (hasOtherDynamicDims(result))
            why = "its result has run-time dims besides the batch";
      if (!why.empty()) {
        op->emitError() << "node '" << layerName(op) << "' (" << op->getName()
                        << ") does not compute each sample of the run-time batch on its "
                           "own: "
                        << why << "; pin the batch with --input-shape (e.g. batch "
                        << bound << ")";
        failed = true;
      }
    });
    for (auto [i, result] : llvm::enumerate(type.getResults()))
      if (auto ranked = dyn_cast<RankedTensorType>(result))
        for (int64_t d = 1; d < ranked.getRank(); ++d)
          if (ranked.isDynamicDim(d)) {
            main.emitError() << "output #" << i << " has a run-time dim on axis " << d
                             << "; only the batch axis (axis 0) can be one";
            failed = true;
          }
    if (failed)
      return signalPassFailure();

    // Retype: the batch becomes 1 everywhere.
    Builder b(module.getContext());
    auto oneSample = [](Value v) {
      auto t = rankedType(v);
      SmallVector<int64_t> shape(t.getShape());
      shape[0] = 1;
      v.setType(RankedTensorType::get(shape, t.getElementType(), t.getEncoding()));
    };
    main.walk([&](Operation *op) {
      bool batched = false;
      for (Value result : op->getResults())
        if (isBatched(result)) {
          oneSample(result);
          batched = true;
        }
      if (batched)
        op->setAttr("dsc.batched", b.getUnitAttr());
    });
    auto boundAttr = b.getI64IntegerAttr(bound);
    for (auto [i, arg] : llvm::enumerate(main.getArguments()))
      if (isBatched(arg)) {
        oneSample(arg);
        main.setArgAttr(i, "dsc.batch_bound", boundAttr);
        main.removeArgAttr(i, "dsc.dim_bounds");
      }
    auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
    for (unsigned i = 0; i < main.getNumResults(); ++i)
      if (isBatched(main.getBody().front().getTerminator()->getOperand(i)) ||
          (isa<RankedTensorType>(type.getResult(i)) &&
           cast<RankedTensorType>(type.getResult(i)).isDynamicDim(0)))
        main.setResultAttr(i, "dsc.batch_bound", boundAttr);
    main.setFunctionType(FunctionType::get(module.getContext(),
                                           main.getBody().front().getArgumentTypes(),
                                           ret.getOperandTypes()));
    module->setAttr("dsc.per_sample", boundAttr);
  }
};

} // namespace
