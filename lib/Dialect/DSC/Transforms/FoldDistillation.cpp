//===- FoldDistillation.cpp - Keep the student of a distillation graph ----===//
//
// Chooses the deployment outputs (named, or by the rule in Passes.td: not
// through a loss head, not from the teacher), erases every op only the
// dropped outputs needed and the inputs nothing reads any more, and folds a
// temperature division into the gemm that produces the logits.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "dsc/Dialect/DSC/Transforms/Weights.h"
#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "dsc/Target/ONNX/ONNXExporter.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ToolOutputFile.h"

namespace dsc {
#define GEN_PASS_DEF_FOLDDISTILLATION
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

/// Every op `value` depends on (its backward slice), including ops nested
/// in regions of those ops' operands' producers.
llvm::SetVector<Operation *> backwardSlice(Value value) {
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> worklist = {value};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val().getDefiningOp();
    if (!op || !slice.insert(op))
      continue;
    for (Value operand : op->getOperands())
      worklist.push_back(operand);
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        worklist.push_back(operand);
    });
  }
  return slice;
}

bool isLossOp(Operation *op) {
  return isa<SoftmaxCrossEntropyLossOp, NegativeLogLikelihoodLossOp>(op);
}

/// The weights of a slice: constants read as the weight of a conv, gemm,
/// matmul or conv_transpose.
llvm::SmallPtrSet<Operation *, 16> weightsOf(const llvm::SetVector<Operation *> &slice) {
  llvm::SmallPtrSet<Operation *, 16> weights;
  for (Operation *op : slice) {
    Value weight;
    if (auto conv = dyn_cast<ConvOp>(op))
      weight = conv.getWeight();
    else if (auto gemm = dyn_cast<GemmOp>(op))
      weight = gemm.getB();
    else if (auto matmul = dyn_cast<MatMulOp>(op))
      weight = matmul.getB();
    else if (auto convT = dyn_cast<ConvTransposeOp>(op))
      weight = convT.getWeight();
    if (weight)
      if (auto constant = weight.getDefiningOp<ConstantOp>())
        weights.insert(constant);
  }
  return weights;
}

int64_t parameterCount(const llvm::SmallPtrSet<Operation *, 16> &weights) {
  int64_t count = 0;
  for (Operation *op : weights)
    count += cast<ConstantOp>(op).getType().getNumElements();
  return count;
}

/// What each output of @main is: computed through a loss head, or from the
/// teacher network.
struct OutputRoles {
  SmallVector<bool> throughLoss;
  bool anyLoss = false;
  /// The teacher's outputs: when the outputs not computed through a loss
  /// come from two or more networks (disjoint sets of weights) feeding a
  /// loss, those of the largest such network. Empty otherwise.
  SmallVector<unsigned> teacher;
};

OutputRoles classifyOutputs(func::ReturnOp ret) {
  unsigned numResults = ret.getNumOperands();
  OutputRoles roles;
  SmallVector<llvm::SetVector<Operation *>> slices;
  for (unsigned i = 0; i < numResults; ++i) {
    slices.push_back(backwardSlice(ret.getOperand(i)));
    roles.throughLoss.push_back(llvm::any_of(slices.back(), isLossOp));
    roles.anyLoss |= roles.throughLoss.back();
  }
  if (!roles.anyLoss)
    return roles;
  auto candidate = [&](unsigned i) { return !roles.throughLoss[i]; };
  // Group the other outputs into networks by shared weights.
  llvm::EquivalenceClasses<unsigned> networks;
  SmallVector<llvm::SmallPtrSet<Operation *, 16>> weights;
  for (unsigned i = 0; i < numResults; ++i) {
    weights.push_back(weightsOf(slices[i]));
    networks.insert(i);
  }
  for (unsigned i = 0; i < numResults; ++i)
    for (unsigned j = i + 1; j < numResults; ++j)
      if (candidate(i) && candidate(j) &&
          llvm::any_of(weights[i], [&](Operation *w) { return weights[j].contains(w); }))
        networks.unionSets(i, j);
  // The weights the loss outputs read.
  llvm::SmallPtrSet<Operation *, 16> lossWeights;
  for (unsigned i = 0; i < numResults; ++i)
    if (!candidate(i))
      for (Operation *w : weights[i])
        lossWeights.insert(w);
  // Among networks feeding the loss, the largest is the teacher.
  std::optional<unsigned> teacher;
  int64_t teacherParams = -1, feeding = 0;
  for (auto it = networks.begin(); it != networks.end(); ++it) {
    if (!it->isLeader())
      continue;
    unsigned leader = it->getData();
    if (!candidate(leader))
      continue;
    llvm::SmallPtrSet<Operation *, 16> all;
    for (auto member = networks.member_begin(it); member != networks.member_end(); ++member)
      all.insert(weights[*member].begin(), weights[*member].end());
    if (all.empty() ||
        !llvm::any_of(all, [&](Operation *w) { return lossWeights.contains(w); }))
      continue;
    ++feeding;
    int64_t params = parameterCount(all);
    if (params > teacherParams) {
      teacherParams = params;
      teacher = leader;
    }
  }
  if (feeding >= 2 && teacher)
    for (unsigned i = 0; i < numResults; ++i)
      if (candidate(i) && networks.isEquivalent(i, *teacher))
        roles.teacher.push_back(i);
  return roles;
}

/// Erases the dsc ops of `func`'s body that nothing uses, until none is
/// left. Returns how many it erased.
int64_t eraseDeadOps(func::FuncOp func) {
  int64_t erased = 0;
  bool changed = true;
  while (changed) {
    changed = false;
    SmallVector<Operation *> ops;
    func.getBody().front().walk([&](Operation *op) {
      if (op->getParentOp() == func && isa<DSCDialect>(op->getDialect()))
        ops.push_back(op);
    });
    for (Operation *op : llvm::reverse(ops))
      if (op->use_empty() && !isa<YieldOp>(op)) {
        op->erase();
        ++erased;
        changed = true;
      }
  }
  return erased;
}

/// Makes `main` return only the results `kept` (with their attributes),
/// erases what nothing needs any more, and the inputs nothing reads.
/// Returns the names of the removed inputs.
SmallVector<std::string> keepOnlyResults(func::FuncOp main, ArrayRef<unsigned> kept,
                                         int64_t &erased) {
  auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
  SmallVector<Value> values;
  SmallVector<DictionaryAttr> attrs;
  for (unsigned i : kept) {
    values.push_back(ret.getOperand(i));
    attrs.push_back(main.getResultAttrDict(i));
  }
  OpBuilder builder(ret);
  builder.create<func::ReturnOp>(ret.getLoc(), values);
  ret.erase();
  erased += eraseDeadOps(main);
  SmallVector<std::string> removedInputs;
  llvm::BitVector unused(main.getNumArguments());
  for (BlockArgument arg : main.getArguments())
    if (arg.use_empty()) {
      unused.set(arg.getArgNumber());
      auto name = main.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "dsc.name");
      removedInputs.push_back(name ? name.str() : "input" + std::to_string(arg.getArgNumber()));
    }
  main.eraseArguments(unused);
  main.setType(FunctionType::get(main.getContext(), main.getArgumentTypes(),
                                 ValueRange(values).getTypes()));
  main.setAllResultAttrs(attrs);
  return removedInputs;
}

/// softmax(gemm(x, W, b) / T) -> softmax(gemm(x, W/T, b/T)) when the gemm
/// and the division have no other users. Returns true if it folded.
bool foldTemperature(Operation *division) {
  Value logits = division->getOperand(0);
  auto gemm = logits.getDefiningOp<GemmOp>();
  if (!gemm || !gemm->hasOneUse() || !division->hasOneUse() ||
      !isa<SoftmaxOp, LogSoftmaxOp>(*division->getUsers().begin()))
    return false;
  DenseFPElementsAttr scalar;
  if (!matchPattern(division->getOperand(1), m_Constant(&scalar)) ||
      scalar.getNumElements() != 1)
    return false;
  double value = (*scalar.getValues<APFloat>().begin()).convertToDouble();
  double factor = isa<DivOp>(division) ? 1.0 / value : value;
  auto weights = getConstantFloats(gemm.getB());
  if (!weights || value == 0.0)
    return false;
  std::optional<std::vector<float>> bias;
  if (gemm.getC()) {
    bias = getConstantFloats(gemm.getC());
    if (!bias)
      return false;
  }
  // y / T = alpha A (B / T) + beta (C / T).
  OpBuilder builder(gemm);
  for (float &w : *weights)
    w *= factor;
  gemm.getBMutable().assign(createWeightConstant(
      builder, gemm.getLoc(), cast<RankedTensorType>(gemm.getB().getType()), *weights,
      "temperature_folded_weight"));
  if (bias) {
    for (float &b : *bias)
      b *= factor;
    gemm.getCMutable().assign(createWeightConstant(
        builder, gemm.getLoc(), cast<RankedTensorType>(gemm.getC().getType()), *bias,
        "temperature_folded_bias"));
  }
  division->getResult(0).replaceAllUsesWith(logits);
  division->erase();
  return true;
}

struct FoldDistillationPass : dsc::impl::FoldDistillationBase<FoldDistillationPass> {
  using FoldDistillationBase::FoldDistillationBase;

  /// keep-teacher-as=FILE: a copy of the model with only the teacher's
  /// outputs, as ONNX when FILE ends in .onnx, else as MLIR text.
  LogicalResult writeTeacher(ModuleOp module, ArrayRef<unsigned> teacher) {
    if (teacher.empty())
      return module.emitError()
             << "--dsc-fold-distillation keep-teacher-as: found no teacher (no loss head "
                "read by two or more networks of their own weights)";
    OwningOpRef<ModuleOp> copy = module.clone();
    auto main = copy->lookupSymbol<func::FuncOp>("main");
    int64_t erased = 0;
    keepOnlyResults(main, teacher, erased);
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(keepTeacherAs, &error);
    if (!file)
      return module.emitError() << "keep-teacher-as: " << error;
    if (StringRef(keepTeacherAs).ends_with(".onnx")) {
      std::string bytes;
      if (failed(exportONNXModel(*copy, bytes)))
        return failure();
      file->os() << bytes;
    } else {
      copy->print(file->os());
    }
    file->keep();
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main) {
      module.emitError() << "the module has no func.func @main";
      return signalPassFailure();
    }
    auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
    unsigned numResults = main.getNumResults();
    auto outputName = [&](unsigned i) -> std::string {
      if (auto name = main.getResultAttrOfType<StringAttr>(i, "dsc.name"))
        return name.str();
      return "output" + std::to_string(i);
    };

    // Which outputs to keep.
    OutputRoles teachers = classifyOutputs(ret);
    SmallVector<bool> keep(numResults, false);
    std::string why;
    if (!outputs.empty()) {
      for (const std::string &name : outputs) {
        bool found = false;
        for (unsigned i = 0; i < numResults; ++i)
          if (outputName(i) == name)
            keep[i] = found = true;
        if (!found) {
          main.emitError() << "--dsc-fold-distillation: the model has no output '"
                           << name << "'";
          return signalPassFailure();
        }
      }
      why = "named by outputs=";
    } else {
      why = teachers.anyLoss ? "not computed through a loss head" : "no loss head found";
      for (unsigned i = 0; i < numResults; ++i)
        keep[i] = !teachers.throughLoss[i] && !llvm::is_contained(teachers.teacher, i);
      if (!teachers.teacher.empty())
        why += ", not from the teacher (the largest network feeding the loss)";
    }

    if (!keepTeacherAs.empty() && failed(writeTeacher(module, teachers.teacher)))
      return signalPassFailure();

    // Rewrite the signature: drop the other outputs, what only they needed
    // and the inputs nothing reads any more.
    SmallVector<std::string> removedOutputs;
    SmallVector<unsigned> kept;
    for (unsigned i = 0; i < numResults; ++i) {
      if (keep[i])
        kept.push_back(i);
      else
        removedOutputs.push_back(outputName(i));
    }
    if (kept.empty()) {
      main.emitError() << "--dsc-fold-distillation would keep no output";
      return signalPassFailure();
    }
    int64_t erased = 0;
    SmallVector<std::string> removedInputs = keepOnlyResults(main, kept, erased);

    // Temperature divisions.
    int64_t temperatures = 0;
    SmallVector<Operation *> divisions;
    main.walk([&](Operation *op) {
      if (isa<DivOp, MulOp>(op))
        divisions.push_back(op);
    });
    for (Operation *op : divisions)
      temperatures += foldTemperature(op);
    erased += eraseDeadOps(main);
    // Re-parameterised branches (the student's training-time structure).
    BranchFoldCounts folds = foldBranches(main, /*affines=*/false);

    emitRemark(main.getLoc()) << "distillation folding kept outputs ("
                      << why << "); removed outputs ["
                      << llvm::join(removedOutputs, ", ") << "], inputs ["
                      << llvm::join(removedInputs, ", ") << "], " << erased
                      << " ops; folded " << temperatures << " temperature scaling(s), "
                      << folds.branchSums << " re-parameterised branch sum(s) and "
                      << folds.chains << " linear chain(s)";
  }
};

} // namespace
