//===- ModelStats.cpp - Size and cost of a dsc model -----------------------===//
//
// MACs per op, from static shapes (a dynamic dim counts as its bound 1):
//   conv            N * F * prod(out spatial) * (C / G) * prod(kernel)
//   conv_transpose  N * C * prod(in spatial) * (F / G) * prod(kernel)
//   gemm            M * N * K
//   matmul          prod(batch) * M * N * K
//   lstm / gru      seq * dirs * batch * gates * H * (I + H)
// Parameters are the elements of the float constants the model reads.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Analysis/ModelStats.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/Pass/Pass.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <map>

using namespace mlir;
using namespace dsc;

namespace {

int64_t dimOr1(int64_t d) { return ShapedType::isDynamic(d) ? 1 : d; }

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= dimOr1(d);
  return p;
}

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

int64_t macsOf(Operation *op) {
  if (isa<ConvOp, ConvFusedOp, ConvIntegerOp, QLinearConvOp>(op)) {
    // The weight is operand 1 (operand 3 of qlinear_conv, after x's scale
    // and zero point).
    Value weight = op->getOperand(isa<QLinearConvOp>(op) ? 3 : 1);
    auto out = typeOf(op->getResult(0)), w = typeOf(weight);
    return product(out.getShape()) * product(w.getShape().drop_front(1));
  }
  if (isa<MatMulIntegerOp, QLinearMatMulOp, MatMulWeightOnlyOp>(op)) {
    auto a = typeOf(op->getOperand(0));
    return product(typeOf(op->getResult(0)).getShape()) * dimOr1(a.getShape().back());
  }
  if (auto matmul = dyn_cast<MatMulFusedOp>(op)) {
    auto a = typeOf(matmul.getA());
    return product(matmul.getType().getShape()) * dimOr1(a.getShape().back());
  }
  if (auto conv = dyn_cast<ConvTransposeOp>(op)) {
    auto in = typeOf(conv.getInput()), w = typeOf(conv.getWeight());
    return product(in.getShape()) * product(w.getShape().drop_front(1));
  }
  if (auto gemm = dyn_cast<GemmOp>(op)) {
    auto a = typeOf(gemm.getA());
    int64_t k = dimOr1(a.getDimSize(gemm.getTransA() ? 0 : 1));
    return product(gemm.getType().getShape()) * k;
  }
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    auto a = typeOf(matmul.getA());
    return product(matmul.getType().getShape()) * dimOr1(a.getShape().back());
  }
  if (isa<LSTMOp, GRUOp>(op)) {
    auto x = typeOf(op->getOperand(0)), w = typeOf(op->getOperand(1)),
         r = typeOf(op->getOperand(2));
    // seq * batch * dirs * (gates*H) * (I + H)
    return dimOr1(x.getDimSize(0)) * dimOr1(x.getDimSize(1)) * dimOr1(w.getDimSize(0)) *
           dimOr1(w.getDimSize(1)) * (dimOr1(w.getDimSize(2)) + dimOr1(r.getDimSize(2)));
  }
  return 0;
}

} // namespace

llvm::json::Object dsc::computeModelStats(ModuleOp module) {
  std::map<std::string, int64_t> ops;
  int64_t parameters = 0, weightBytes = 0, macs = 0;
  int64_t weightOnlyBytes = 0, weightOnlyFloatBytes = 0;
  llvm::json::Array layers;
  module.walk([&](Operation *op) {
    // A dsc.elementwise counts as one op: its body is its scalar function.
    if (!isa<DSCDialect>(op->getDialect()) || isa<YieldOp>(op) ||
        op->getParentOfType<ElementwiseOp>())
      return;
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      if (constant->use_empty())
        return;
      auto type = constant.getType();
      int64_t count = type.getNumElements();
      // Bytes as the object stores them: 4-bit values two to a byte, bools
      // one byte each.
      unsigned width = type.getElementTypeBitWidth();
      weightBytes += width == 4 ? (count + 1) / 2 : count * std::max<int64_t>(1, width / 8);
      if (isa<FloatType>(type.getElementType()))
        parameters += count;
      return;
    }
    ++ops[op->getName().getStringRef().str()];
    // Weight-only matmuls: their weights and scales against the float32
    // weights they replace.
    if (auto wq = dyn_cast<MatMulWeightOnlyOp>(op)) {
      auto w = typeOf(wq.getWeight());
      weightOnlyBytes += (w.getNumElements() * w.getElementTypeBitWidth() + 7) / 8 +
                         typeOf(wq.getScales()).getNumElements() * 2;
      weightOnlyFloatBytes += w.getNumElements() * 4;
    }
    int64_t opMacs = macsOf(op);
    if (opMacs == 0)
      return;
    int64_t opParams = 0;
    for (Value operand : op->getOperands())
      if (auto constant = operand.getDefiningOp<ConstantOp>())
        if (isa<FloatType>(constant.getType().getElementType()))
          opParams += constant.getType().getNumElements();
    macs += opMacs;
    layers.push_back(llvm::json::Object{{"name", layerName(op)},
                                        {"op", op->getName().getStringRef()},
                                        {"parameters", opParams},
                                        {"macs", opMacs}});
  });
  llvm::json::Object opCounts;
  for (auto &[name, count] : ops)
    opCounts[name] = count;
  llvm::json::Object stats{{"ops", std::move(opCounts)},
                           {"parameters", parameters},
                           {"weight_bytes", weightBytes},
                           {"macs", macs},
                           {"flops", 2 * macs},
                           {"layers", std::move(layers)}};
  if (weightOnlyFloatBytes)
    stats["weight_only"] = llvm::json::Object{{"bytes", weightOnlyBytes},
                                              {"float32_bytes", weightOnlyFloatBytes}};
  // What channel pruning did (the attributes dsc-prune-channels leaves on
  // the function): the groups pruned and the ones kept, with the reason.
  module.walk([&](func::FuncOp func) {
    for (auto [attrName, key] : {std::pair<StringRef, StringRef>{"dsc.pruned", "pruned"},
                                 {"dsc.prune_skipped", "prune_kept"}}) {
      auto list = func->getAttrOfType<ArrayAttr>(attrName);
      if (!list)
        continue;
      llvm::json::Array entries;
      for (auto entry : list.getAsRange<DictionaryAttr>()) {
        llvm::json::Object object;
        for (NamedAttribute field : entry) {
          if (auto text = dyn_cast<StringAttr>(field.getValue()))
            object[field.getName().strref()] = text.str();
          else if (auto flag = dyn_cast<BoolAttr>(field.getValue()))
            object[field.getName().strref()] = flag.getValue();
          else if (auto number = dyn_cast<IntegerAttr>(field.getValue()))
            object[field.getName().strref()] = number.getInt();
        }
        entries.push_back(std::move(object));
      }
      stats[key] = std::move(entries);
    }
  });
  return stats;
}

void dsc::printStatsTable(const llvm::json::Object &before,
                          const llvm::json::Object &after, llvm::raw_ostream &os) {
  auto num = [](const llvm::json::Object &o, StringRef key) {
    return o.getInteger(key).value_or(0);
  };
  os << llvm::formatv("{0,-24} {1,14} {2,14}\n", "", "before", "after");
  for (StringRef key : {"parameters", "weight_bytes", "macs", "flops"})
    os << llvm::formatv("{0,-24} {1,14} {2,14}\n", key, num(before, key), num(after, key));
  std::map<std::string, std::pair<int64_t, int64_t>> ops;
  if (auto *o = before.getObject("ops"))
    for (auto &[k, v] : *o)
      ops[k.str()].first = *v.getAsInteger();
  if (auto *o = after.getObject("ops"))
    for (auto &[k, v] : *o)
      ops[k.str()].second = *v.getAsInteger();
  for (auto &[name, counts] : ops)
    os << llvm::formatv("{0,-24} {1,14} {2,14}\n", name, counts.first, counts.second);
}

namespace {
class ReportInstrumentation : public PassInstrumentation {
public:
  explicit ReportInstrumentation(std::string path) : path(std::move(path)) {}
  ~ReportInstrumentation() override {
    if (!before)
      return;
    if (path == "-") {
      printStatsTable(*before, *after, llvm::errs());
      return;
    }
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec) {
      llvm::errs() << "dsc-opt: error: cannot write '" << path << "': " << ec.message()
                   << "\n";
      return;
    }
    os << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                     {"before", std::move(*before)},
                                     {"after", std::move(*after)}}))
       << "\n";
  }
  void runBeforePass(Pass *, Operation *op) override {
    if (!before)
      before = computeModelStats(topModule(op));
  }
  void runAfterPass(Pass *, Operation *op) override {
    after = computeModelStats(topModule(op));
  }

private:
  static ModuleOp topModule(Operation *op) {
    while (op->getParentOp())
      op = op->getParentOp();
    return cast<ModuleOp>(op);
  }
  std::string path;
  std::optional<llvm::json::Object> before, after;
};
} // namespace

std::unique_ptr<PassInstrumentation>
dsc::createReportInstrumentation(std::string path) {
  return std::make_unique<ReportInstrumentation>(std::move(path));
}
