//===- PruneChannels.cpp - Structured channel pruning with dependency groups ===//
//
// Removes whole output channels of conv/conv-transpose/gemm/matmul layers
// and the matching input channels of every consumer, so the model is
// physically smaller.
//
// A *channel space* is the set of tensors that carry one layer's output
// channels: the producer's result and everything computed from it channel
// by channel (BatchNormalization, activations, pooling, depthwise convs,
// elementwise ops with per-channel constants, flatten) up to the consumers
// that reduce over the channels (conv, conv-transpose, gemm, matmul).
// Elementwise ops
// joining two spaces (residual adds) merge them into one dependency group,
// pruned together or not at all. A space reaching anything else (a graph
// output, a concat, a reshape that mixes channels) is pinned and reported.
//
// A removed channel is replaced by a constant: what the rest of the space
// computes from the producer's bias when its filters are zero (exact), or
// from its expected value (a following BN's running mean, so the BN yields
// beta) when they are not.
// That constant is folded into the consumers' biases:
//   bias'[f] += v_c * sum_{kh,kw} w[f, c, kh, kw]          (conv)
//   bias'[n] += v_c * sum_{j in features of c} b[j, n]     (gemm/matmul)
//   bias'[f] += v_c * sum_{kh,kw} w[c, f, kh, kw] / (sh * sw)  (conv-transpose)
// which is exact when every consumer is a gemm/matmul, an unpadded conv
// (with zero padding the constant contributes less at the borders) or a
// 1x1 stride-1 unpadded conv-transpose, and the constant is known exactly
// along the space. (A strided conv-transpose scatters tap (kh, kw) to the
// output pixels congruent to it modulo the stride, so a constant input
// makes a pattern, not a constant: the bias gets its mean over the
// sh * sw positions.) `lossless-only` removes only
// channels whose filters are all zero and whose removal is exact.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <numeric>

namespace dsc {
#define GEN_PASS_DEF_PRUNECHANNELS
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

RankedTensorType tensorType(Value v) { return cast<RankedTensorType>(v.getType()); }

bool isChannelwiseUnary(Operation *op) {
  return isa<ReluOp, SigmoidOp, TanhOp, HardSwishOp, HardSigmoidOp, LeakyReluOp, EluOp,
             IdentityOp, DropoutOp, SoftplusOp>(op) ||
         (isa<ClipOp>(op) && getConstantFloats(op->getOperand(1)) &&
          getConstantFloats(op->getOperand(2)));
}

/// Where a tensor of the space keeps its channels: channel c occupies
/// indices [c * block, (c + 1) * block) of `axis` (block > 1 after a
/// flatten of [N, C, H, W]).
struct Placement {
  int64_t axis, block = 1;
};

/// One channel space (merged with others into a dependency group).
struct Space {
  Operation *producer;
  int64_t channels;
  llvm::MapVector<Value, Placement> values; // tensors carrying the channels
  SmallVector<Operation *> ops;             // ops computing them, in order
  SmallVector<OpOperand *> consumers;       // conv/gemm/matmul reading them
  SmallVector<Operation *> joins;           // binary ops with two spaces
  std::string pinned;                       // why it cannot be pruned
};

/// The constant a removed channel carries through the space, if known.
/// Unknown after ops that do not map a constant to a constant exactly.
std::optional<float> applyScalar(Operation *op, float v, int64_t c,
                                 std::optional<float> other) {
  auto at = [&](Value value) -> std::optional<float> {
    auto values = getConstantFloats(value);
    if (!values)
      return std::nullopt;
    return values->size() == 1 ? values->front() : (*values)[c];
  };
  if (auto bn = dyn_cast<BatchNormOp>(op)) {
    auto g = at(bn.getScale()), b = at(bn.getBias()), m = at(bn.getMean()),
         var = at(bn.getVariance());
    if (!g || !b || !m || !var)
      return std::nullopt;
    return *g * (v - *m) / std::sqrt(*var + bn.getEpsilon().convertToFloat()) + *b;
  }
  if (isa<ReluOp>(op))
    return std::max(v, 0.0f);
  if (isa<SigmoidOp>(op))
    return 1.0f / (1.0f + std::exp(-v));
  if (isa<TanhOp>(op))
    return std::tanh(v);
  if (isa<HardSwishOp>(op))
    return v * std::clamp(v / 6.0f + 0.5f, 0.0f, 1.0f);
  if (auto hs = dyn_cast<HardSigmoidOp>(op))
    return std::clamp(hs.getAlpha().convertToFloat() * v + hs.getBeta().convertToFloat(),
                      0.0f, 1.0f);
  if (auto leaky = dyn_cast<LeakyReluOp>(op))
    return v >= 0 ? v : leaky.getAlpha().convertToFloat() * v;
  if (auto elu = dyn_cast<EluOp>(op))
    return v >= 0 ? v : elu.getAlpha().convertToFloat() * (std::exp(v) - 1.0f);
  if (isa<SoftplusOp>(op))
    return std::log1p(std::exp(v));
  if (auto clip = dyn_cast<ClipOp>(op))
    return std::clamp(v, *at(clip.getMin()), *at(clip.getMax()));
  if (isa<IdentityOp, DropoutOp, MaxPoolOp, GlobalAveragePoolOp, GlobalMaxPoolOp,
          ReduceMeanOp, ReduceMaxOp, FlattenOp, ReshapeOp>(op))
    return v;
  if (auto pool = dyn_cast<AveragePoolOp>(op)) {
    // The mean of a constant, unless padding zeros are counted.
    bool padded = llvm::any_of(pool.getPads(), [](int64_t p) { return p != 0; });
    if (padded && pool.getCountIncludePad())
      return std::nullopt;
    return v;
  }
  if (auto conv = dyn_cast<ConvOp>(op)) { // depthwise: v * sum(w[c]) + b[c]
    bool padded = llvm::any_of(conv.getPads(), [](int64_t p) { return p != 0; });
    auto w = getConstantFloats(conv.getWeight());
    if (!w || (padded && v != 0.0f))
      return std::nullopt;
    int64_t taps = w->size() / tensorType(conv.getWeight()).getDimSize(0);
    float sum = 0;
    for (int64_t i = 0; i < taps; ++i)
      sum += (*w)[c * taps + i];
    float bias = conv.getBias() ? at(conv.getBias()).value_or(0) : 0;
    return v * sum + bias;
  }
  if (isa<AddOp, SubOp, MulOp, DivOp>(op)) {
    if (!other)
      return std::nullopt;
    if (isa<AddOp>(op))
      return v + *other;
    if (isa<SubOp>(op))
      return v - *other;
    if (isa<MulOp>(op))
      return v * *other;
    return v / *other;
  }
  return std::nullopt;
}

struct PruneChannelsPass : dsc::impl::PruneChannelsBase<PruneChannelsPass> {
  using PruneChannelsBase::PruneChannelsBase;

  std::vector<Space> spaces;
  llvm::DenseMap<Value, unsigned> spaceOf;
  llvm::StringMap<double> layerRatios; // per-layer=name:ratio;...

  /// The producers: conv (group 1), gemm (no trans_a) and matmul with
  /// constant weights; the channel axis of their result.
  std::optional<std::pair<int64_t, int64_t>> producerChannels(Operation *op) {
    if (auto conv = dyn_cast<ConvOp>(op)) {
      if (conv.getGroup() != 1 || !getConstantFloats(conv.getWeight()) ||
          (conv.getBias() && !getConstantFloats(conv.getBias())))
        return std::nullopt;
      return std::make_pair(conv.getType().getDimSize(1), int64_t(1));
    }
    if (auto convT = dyn_cast<ConvTransposeOp>(op)) {
      if (convT.getGroup() != 1 || !getConstantFloats(convT.getWeight()) ||
          (convT.getBias() && !getConstantFloats(convT.getBias())))
        return std::nullopt;
      return std::make_pair(convT.getType().getDimSize(1), int64_t(1));
    }
    if (auto gemm = dyn_cast<GemmOp>(op)) {
      if (gemm.getTransA() || !getConstantFloats(gemm.getB()) ||
          gemm.getAlpha().convertToFloat() != 1.0f ||
          (gemm.getC() && (!getConstantFloats(gemm.getC()) ||
                           tensorType(gemm.getC()).getRank() != 1)))
        return std::nullopt;
      return std::make_pair(gemm.getType().getDimSize(1), int64_t(1));
    }
    if (auto mm = dyn_cast<MatMulOp>(op)) {
      if (tensorType(mm.getB()).getRank() != 2 || tensorType(mm.getA()).getRank() < 2 ||
          !getConstantFloats(mm.getB()))
        return std::nullopt;
      return std::make_pair(mm.getType().getShape().back(), mm.getType().getRank() - 1);
    }
    return std::nullopt;
  }

  /// Follows the channels of `space` from its producer to its consumers.
  void trace(Space &space, unsigned index) {
    SmallVector<Value> worklist = {space.producer->getResult(0)};
    while (!worklist.empty() && space.pinned.empty()) {
      Value value = worklist.pop_back_val();
      Placement place = space.values.lookup(value);
      for (OpOperand &use : value.getUses()) {
        Operation *user = use.getOwner();
        auto pin = [&](StringRef why) {
          if (space.pinned.empty())
            space.pinned = (Twine(why) + " (" + layerName(user) + ")").str();
        };
        auto follow = [&](Value result, Placement next) {
          if (space.values.count(result))
            return;
          space.values.insert({result, next});
          space.ops.push_back(user);
          worklist.push_back(result);
        };
        bool onChannelAxis1 = place.axis == 1 && place.block == 1;
        if (isa<func::ReturnOp>(user)) {
          pin("a graph output reads its channels");
        } else if (auto conv = dyn_cast<ConvOp>(user)) {
          if (use.getOperandNumber() != 0 || !onChannelAxis1)
            pin("a conv reads it as weights");
          else if (isDepthwise(conv) && getConstantFloats(conv.getWeight()) &&
                   (!conv.getBias() || getConstantFloats(conv.getBias())))
            follow(conv.getResult(), place);
          else if (conv.getGroup() == 1 && getConstantFloats(conv.getWeight()) &&
                   (!conv.getBias() || getConstantFloats(conv.getBias())))
            space.consumers.push_back(&use);
          else
            pin("a grouped conv or one with run-time weights reads it");
        } else if (auto convT = dyn_cast<ConvTransposeOp>(user)) {
          if (use.getOperandNumber() == 0 && onChannelAxis1 && convT.getGroup() == 1 &&
              getConstantFloats(convT.getWeight()) &&
              (!convT.getBias() || getConstantFloats(convT.getBias())))
            space.consumers.push_back(&use);
          else
            pin("a grouped conv-transpose or one with run-time weights reads it");
        } else if (auto gemm = dyn_cast<GemmOp>(user)) {
          bool vectorC = !gemm.getC() || (tensorType(gemm.getC()).getRank() == 1 &&
                                          getConstantFloats(gemm.getC()));
          if (use.getOperandNumber() == 0 && !gemm.getTransA() && place.axis == 1 &&
              vectorC && getConstantFloats(gemm.getB()) &&
              gemm.getAlpha().convertToFloat() == 1.0f)
            space.consumers.push_back(&use);
          else
            pin("a gemm reads it other than as features");
        } else if (auto mm = dyn_cast<MatMulOp>(user)) {
          if (use.getOperandNumber() == 0 && place.axis == tensorType(value).getRank() - 1 &&
              tensorType(mm.getB()).getRank() == 2 && getConstantFloats(mm.getB()))
            space.consumers.push_back(&use);
          else
            pin("a matmul reads it other than as features");
        } else if (isa<BatchNormOp>(user) && use.getOperandNumber() == 0 &&
                   place.block == 1 && place.axis == 1 &&
                   llvm::all_of(user->getOperands().drop_front(), [](Value p) {
                     return getConstantFloats(p).has_value();
                   })) {
          follow(user->getResult(0), place);
        } else if (isChannelwiseUnary(user) && use.getOperandNumber() == 0) {
          follow(user->getResult(0), place);
        } else if (isa<MaxPoolOp, AveragePoolOp, GlobalAveragePoolOp, GlobalMaxPoolOp>(
                       user) &&
                   onChannelAxis1) {
          follow(user->getResult(0), place);
        } else if (isa<ReduceMeanOp, ReduceMaxOp>(user) && use.getOperandNumber() == 0 &&
                   place.block == 1) {
          // Reducing other axes keeps the channels; without keepdims the
          // channel axis moves left by the reduced axes before it.
          DenseIntElementsAttr axesAttr;
          if (!matchPattern(user->getOperand(1), m_Constant(&axesAttr))) {
            pin("a reduction with run-time axes reads it");
            continue;
          }
          int64_t rank = tensorType(value).getRank(), before = 0;
          bool reducesChannels = axesAttr.getNumElements() == 0;
          for (APInt a : axesAttr.getValues<APInt>()) {
            int64_t axis = (a.getSExtValue() + rank) % rank;
            reducesChannels |= axis == place.axis;
            before += axis < place.axis;
          }
          auto keepdimsAttr = user->getAttrOfType<IntegerAttr>("keepdims"); // default 1
          bool keepdims = !keepdimsAttr || keepdimsAttr.getInt() != 0;
          if (reducesChannels)
            pin("a reduction over the channels reads it");
          else
            follow(user->getResult(0), {keepdims ? place.axis : place.axis - before, 1});
        } else if (isa<FlattenOp, ReshapeOp>(user) && use.getOperandNumber() == 0 &&
                   place.block == 1) {
          // [N, C, rest...] -> [N, C * prod(rest)]: channel c becomes the
          // features [c * prod(rest), (c + 1) * prod(rest)).
          auto in = tensorType(value), out = tensorType(user->getResult(0));
          if (place.axis == 1 && in.hasStaticShape() && out.hasStaticShape() &&
              out.getRank() == 2 && out.getDimSize(0) == in.getDimSize(0))
            follow(user->getResult(0), {1, out.getDimSize(1) / space.channels});
          else
            pin("a reshape mixes its channels");
        } else if (isa<AddOp, SubOp, MulOp, DivOp>(user)) {
          Value other = user->getOperand(1 - use.getOperandNumber());
          auto otherType = tensorType(other);
          auto resultType = tensorType(user->getResult(0));
          if (resultType.getShape() != tensorType(value).getShape()) {
            pin("a broadcasting elementwise op widens it");
          } else if (matchPattern(other, m_Constant())) {
            // A constant that is per channel or uniform along the channel axis.
            int64_t axis = place.axis - (resultType.getRank() - otherType.getRank());
            int64_t along = axis >= 0 ? otherType.getDimSize(axis) : 1;
            if (place.block != 1 || (along != 1 && along != space.channels) ||
                !getConstantFloats(other))
              pin("an elementwise op mixes it with a constant across channels");
            else
              follow(user->getResult(0), place);
          } else if (otherType.getShape() == resultType.getShape()) {
            space.joins.push_back(user);
            follow(user->getResult(0), place);
          } else {
            pin("an elementwise op broadcasts another tensor over it");
          }
        } else {
          pin((Twine(user->getName().getStringRef()) + " reads its channels").str());
        }
      }
    }
    for (auto &entry : space.values)
      spaceOf.try_emplace(entry.first, index);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    spaces.clear();
    spaceOf.clear();
    if (criterion != "l1" && criterion != "l2" && criterion != "bn-gamma") {
      func.emitError() << "dsc-prune-channels: unknown criterion '" << criterion
                       << "' (expected l1, l2 or bn-gamma)";
      return signalPassFailure();
    }
    if (ratio < 0 || ratio >= 1) {
      func.emitError() << "dsc-prune-channels: ratio must be in [0, 1), got " << ratio;
      return signalPassFailure();
    }
    layerRatios.clear();
    SmallVector<StringRef> entries;
    StringRef(perLayer).split(entries, ';');
    for (StringRef entry : entries) {
      entry = entry.trim();
      if (entry.empty())
        continue;
      auto [name, value] = entry.rsplit(':');
      double r;
      if (value.trim().getAsDouble(r) || r < 0 || r >= 1) {
        func.emitError() << "dsc-prune-channels: per-layer entry '" << entry
                         << "' is not <name>:<ratio in [0, 1)>";
        return signalPassFailure();
      }
      layerRatios[name.trim()] = r;
    }

    func.walk([&](Operation *op) {
      auto channels = producerChannels(op);
      if (!channels)
        return;
      Space space{op, channels->first, {}, {}, {}, {}, {}};
      space.values.insert({op->getResult(0), {channels->second, 1}});
      spaces.push_back(std::move(space));
    });
    for (unsigned i = 0; i < spaces.size(); ++i)
      trace(spaces[i], i);
    // A per-layer ratio for a layer that is not there is a typo, not a no-op.
    for (auto &entry : layerRatios)
      if (llvm::none_of(spaces, [&](const Space &space) {
            return layerName(space.producer) == entry.getKey();
          })) {
        func.emitError() << "dsc-prune-channels: per-layer names '" << entry.getKey()
                         << "', which is not a conv, conv-transpose, gemm or matmul with constant "
                            "weights in this model";
        return signalPassFailure();
      }

    // Dependency groups: spaces joined by elementwise ops.
    llvm::EquivalenceClasses<unsigned> groups;
    for (unsigned i = 0; i < spaces.size(); ++i)
      groups.insert(i);
    SmallVector<std::string> groupPins(spaces.size());
    for (unsigned i = 0; i < spaces.size(); ++i)
      for (Operation *join : spaces[i].joins)
        for (Value operand : join->getOperands()) {
          auto it = spaceOf.find(operand);
          if (it == spaceOf.end()) {
            spaces[i].pinned = "a residual joins it with a tensor no pruned layer "
                               "produces (" + layerName(join) + ")";
            continue;
          }
          groups.unionSets(i, it->second);
        }

    if (!maskRatios.empty()) {
      SmallVector<SmallVector<unsigned>> groupList;
      for (auto it = groups.begin(); it != groups.end(); ++it)
        if (it->isLeader()) {
          SmallVector<unsigned> members(groups.member_begin(it), groups.member_end());
          llvm::sort(members);
          groupList.push_back(std::move(members));
        }
      if (failed(insertMasks(func, groupList)))
        return signalPassFailure();
      return;
    }

    SmallVector<DictionaryAttr> pruned, skipped;
    for (auto it = groups.begin(); it != groups.end(); ++it) {
      if (!it->isLeader())
        continue;
      SmallVector<unsigned> members(groups.member_begin(it), groups.member_end());
      llvm::sort(members);
      pruneGroup(members, pruned, skipped);
    }
    // The constants the slices replaced.
    func.walk([](ConstantOp constant) {
      if (constant->use_empty())
        constant.erase();
    });
    auto *ctx = &getContext();
    func->setAttr("dsc.pruned", ArrayAttr::get(ctx, SmallVector<Attribute>(pruned.begin(), pruned.end())));
    func->setAttr("dsc.prune_skipped",
                  ArrayAttr::get(ctx, SmallVector<Attribute>(skipped.begin(), skipped.end())));
  }

  /// Per channel importance of a group, or a reason it has none.
  FailureOr<std::vector<double>> importance(ArrayRef<unsigned> members, std::string &why) {
    int64_t channels = spaces[members.front()].channels;
    std::vector<double> score(channels, 0.0);
    for (unsigned m : members) {
      Operation *producer = spaces[m].producer;
      if (criterion == "bn-gamma") {
        Value result = producer->getResult(0);
        BatchNormOp bn;
        if (result.hasOneUse())
          bn = dyn_cast<BatchNormOp>(*result.getUsers().begin());
        auto gamma = bn ? getConstantFloats(bn.getScale()) : std::nullopt;
        if (!gamma) {
          why = "no BatchNormalization follows " + layerName(producer) + " (bn-gamma)";
          return failure();
        }
        for (int64_t c = 0; c < channels; ++c)
          score[c] += std::fabs((*gamma)[c]);
        continue;
      }
      auto rows = filterRows(producer);
      for (int64_t c = 0; c < channels; ++c) {
        double sum = 0;
        for (float w : rows[c])
          sum += criterion == "l1" ? std::fabs(w) : double(w) * w;
        score[c] += criterion == "l1" ? sum : std::sqrt(sum);
      }
    }
    return score;
  }

  /// The weights feeding each output channel of a producer.
  std::vector<std::vector<float>> filterRows(Operation *producer) {
    auto [channels, axis] = *producerChannels(producer);
    std::vector<std::vector<float>> rows(channels);
    Value weight = producer->getOperand(1);
    auto w = *getConstantFloats(weight);
    auto shape = tensorType(weight).getShape();
    bool columns = isa<MatMulOp>(producer) ||
                   (isa<GemmOp>(producer) && !cast<GemmOp>(producer).getTransB());
    if (isa<ConvTransposeOp>(producer)) { // [C, F, k...]: w[:, f, k...]
      int64_t taps = w.size() / (shape[0] * channels);
      for (int64_t c = 0; c < shape[0]; ++c)
        for (int64_t f = 0; f < channels; ++f) {
          const float *row = w.data() + (c * channels + f) * taps;
          rows[f].insert(rows[f].end(), row, row + taps);
        }
    } else if (!columns) { // [F, ...]: row f
      int64_t per = w.size() / channels;
      for (int64_t c = 0; c < channels; ++c)
        rows[c].assign(w.begin() + c * per, w.begin() + (c + 1) * per);
    } else { // [K, N]: column n
      for (int64_t k = 0; k < shape[0]; ++k)
        for (int64_t c = 0; c < channels; ++c)
          rows[c].push_back(w[k * channels + c]);
    }
    (void)axis;
    return rows;
  }

  /// What output channel c of a producer is when its filter is zero: the
  /// bias (beta * c for a gemm), or 0.
  static float producerBias(Operation *producer, int64_t c) {
    Value bias;
    float scale = 1.0f;
    if (auto conv = dyn_cast<ConvOp>(producer)) {
      bias = conv.getBias();
    } else if (auto convT = dyn_cast<ConvTransposeOp>(producer)) {
      bias = convT.getBias();
    } else if (auto gemm = dyn_cast<GemmOp>(producer)) {
      bias = gemm.getC();
      scale = gemm.getBeta().convertToFloat();
    }
    auto values = bias ? getConstantFloats(bias) : std::nullopt;
    return values ? scale * (*values)[values->size() == 1 ? 0 : c] : 0.0f;
  }

  /// What a removed output channel c of a producer is taken to be: its
  /// expected value, the following BN's running mean, or else (and always
  /// for zero filters, where it is exact) the bias.
  static float removedValue(Operation *producer, int64_t c, bool zeroFilters) {
    Value result = producer->getResult(0);
    float value = producerBias(producer, c);
    if (!zeroFilters && result.hasOneUse())
      if (auto bn = dyn_cast<BatchNormOp>(*result.getUsers().begin()))
        if (auto mean = getConstantFloats(bn.getMean()))
          value = (*mean)[c];
    return value;
  }

  /// The constant channel c carries at each consumer when its filters are
  /// zero, or nullopt where it is not known exactly.
  ///
  /// A channel removed for its low importance has non-zero filters: it is
  /// replaced by its expected value. Where a BN follows the producer that is
  /// the BN's running mean (so the BN yields beta); without one, the bias.
  llvm::DenseMap<Value, std::optional<float>>
  channelConstants(ArrayRef<unsigned> members, int64_t c, bool zeroFilters) {
    llvm::DenseMap<Value, std::optional<float>> known;
    for (unsigned m : members)
      known[spaces[m].producer->getResult(0)] =
          removedValue(spaces[m].producer, c, zeroFilters);
    // Ops in program order so operands are known before results.
    SmallVector<Operation *> ops;
    for (unsigned m : members)
      ops.append(spaces[m].ops.begin(), spaces[m].ops.end());
    llvm::sort(ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
    ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
    for (Operation *op : ops) {
      std::optional<float> v, other;
      bool haveV = false;
      for (Value operand : op->getOperands()) {
        auto it = known.find(operand);
        if (it != known.end() && !haveV) {
          v = it->second;
          haveV = true;
        } else if (it != known.end()) {
          other = it->second;
        } else if (isa<AddOp, SubOp, MulOp, DivOp>(op) && !other) {
          if (auto values = getConstantFloats(operand))
            other = (*values)[values->size() == 1 ? 0 : c];
        }
      }
      // Sub/Div with the space on the right: swap the roles.
      if (isa<SubOp, DivOp>(op) && !known.count(op->getOperand(0)) && v && other)
        std::swap(v, other);
      known[op->getResult(0)] = v ? applyScalar(op, *v, c, other) : std::nullopt;
    }
    return known;
  }

  std::string groupNames(ArrayRef<unsigned> members) {
    std::string names;
    for (unsigned m : members)
      names += (names.empty() ? "" : ", ") + layerName(spaces[m].producer);
    return names;
  }

  /// Whether a consumer absorbs a constant input channel exactly.
  static bool absorbsExactly(OpOperand *use) {
    auto isZero = [](int64_t p) { return p == 0; };
    auto isOne = [](int64_t p) { return p == 1; };
    if (auto conv = dyn_cast<ConvOp>(use->getOwner()))
      return llvm::all_of(conv.getPads(), isZero);
    if (auto convT = dyn_cast<ConvTransposeOp>(use->getOwner()))
      return llvm::all_of(convT.getPads(), isZero) &&
             llvm::all_of(convT.getStrides(), isOne) &&
             llvm::all_of(tensorType(convT.getWeight()).getShape().drop_front(2), isOne);
    return true;
  }

  /// What a constant input channel c adds to output channel f of a conv or
  /// conv-transpose consumer, per unit of the constant, as [F][C]:
  ///   conv:            sum_{kh,kw} w[f, c, kh, kw]
  ///   conv-transpose:  sum_{kh,kw} w[c, f, kh, kw] / (sh * sw)
  /// (exact in the interior of a conv; for a conv-transpose the mean over
  /// the stride's sh * sw output phases).
  static std::vector<float> tapSums(Operation *consumer, int64_t channels) {
    auto weight = consumer->getOperand(1);
    auto w = *getConstantFloats(weight);
    auto shape = tensorType(weight).getShape();
    bool transposed = isa<ConvTransposeOp>(consumer);
    int64_t filters = transposed ? shape[1] : shape[0];
    int64_t taps = w.size() / (filters * channels);
    float phases = 1.0f;
    if (auto convT = dyn_cast<ConvTransposeOp>(consumer))
      for (int64_t s : convT.getStrides())
        phases *= s;
    std::vector<float> sums(filters * channels, 0.0f);
    for (int64_t f = 0; f < filters; ++f)
      for (int64_t c = 0; c < channels; ++c) {
        const float *taps0 = w.data() + (transposed ? c * filters + f : f * channels + c) * taps;
        float sum = 0;
        for (int64_t t = 0; t < taps; ++t)
          sum += taps0[t];
        sums[f * channels + c] = sum / phases;
      }
    return sums;
  }

  /// Sensitivity mode (`mask-ratios`): instead of removing channels, each
  /// prunable group gets a run-time mask m per consumer (1 keeps a channel,
  /// 0 removes it; all of a group's masks get the same values) that makes
  /// the consumer compute what it computes after pruning. With a_c the
  /// constant a removed channel c carries to that consumer (what the
  /// rewrite below folds into the consumer's bias), a gemm, matmul or
  /// unpadded conv reads
  ///
  ///     x'[c] = (x[c] - a_c) * m_c + a_c,
  ///
  /// and a padded conv, whose pruned form adds a_c's contribution at every
  /// pixel (padding included), reads x * m and then adds
  ///
  ///     z'[f] = z[f] + sum_c (1 - m_c) * a_c * sum_{kh,kw} w[f, c, kh, kw],
  ///
  /// computed as a 1x1 conv of (a - m * a) with the tap-summed weights. The
  /// masks are @main's last arguments, named dsc.channel_mask.<group>.<i>,
  /// shaped to broadcast over the consumer's input (channel c at indices
  /// [c * block, (c + 1) * block) of its axis). For each ratio the channels
  /// this pass would remove at that ratio (same criterion, min-channels and
  /// round-to) are recorded in the `dsc.prune_masks` attribute.
  LogicalResult insertMasks(func::FuncOp func, ArrayRef<SmallVector<unsigned>> groupList) {
    MLIRContext *ctx = &getContext();
    Builder b(ctx);
    for (double r : maskRatios)
      if (r < 0 || r >= 1)
        return func.emitError() << "dsc-prune-channels: mask-ratios must be in [0, 1), got "
                                << r;
    struct Plan {
      ArrayRef<unsigned> members;
      SmallVector<Attribute> removed;      // per ratio
      SmallVector<OpOperand *> consumers;  // each once
      SmallVector<Placement> placements;   // per consumer
      std::vector<std::vector<float>> absorbed; // per consumer, per channel
    };
    SmallVector<Plan> plans;
    SmallVector<Attribute> skipped;
    auto skip = [&](ArrayRef<unsigned> members, StringRef why) {
      skipped.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("layers", b.getStringAttr(groupNames(members))),
           b.getNamedAttr("reason", b.getStringAttr(why))}));
    };
    // Decide everything before the graph changes under the analysis.
    for (ArrayRef<unsigned> members : groupList) {
      if (std::string why = whyPinned(members); !why.empty()) {
        skip(members, why);
        continue;
      }
      int64_t channels = spaces[members.front()].channels;
      Plan plan{members, {}, {}, {}, {}};
      std::vector<bool> zero, remove;
      std::string why;
      bool ranked = true;
      for (double r : maskRatios) {
        if (failed(chooseRemoved(members, r, zero, remove, why))) {
          ranked = false;
          break;
        }
        SmallVector<int64_t> removedChannels;
        for (int64_t c = 0; c < channels; ++c)
          if (remove[c])
            removedChannels.push_back(c);
        plan.removed.push_back(b.getDenseI64ArrayAttr(removedChannels));
      }
      if (!ranked) {
        skip(members, why);
        continue;
      }
      llvm::SetVector<OpOperand *> consumerSet;
      for (unsigned m : members)
        consumerSet.insert(spaces[m].consumers.begin(), spaces[m].consumers.end());
      plan.consumers.assign(consumerSet.begin(), consumerSet.end());
      // (A consumer's operand may change when another group's masks go in.)
      for (OpOperand *use : plan.consumers)
        plan.placements.push_back(spaces[spaceOf.lookup(use->get())].values.lookup(use->get()));
      plan.absorbed.assign(plan.consumers.size(), std::vector<float>(channels, 0.0f));
      for (int64_t c = 0; c < channels; ++c) {
        auto known = channelConstants(members, c, zero[c]);
        for (auto [i, use] : llvm::enumerate(plan.consumers))
          plan.absorbed[i][c] = known.lookup(use->get()).value_or(0.0f);
      }
      plans.push_back(std::move(plan));
    }

    SmallVector<Attribute> records;
    for (auto [g, plan] : llvm::enumerate(plans)) {
      int64_t channels = spaces[plan.members.front()].channels;
      SmallVector<Attribute> argumentNames;
      SmallVector<int64_t> blocks;
      for (auto [i, use] : llvm::enumerate(plan.consumers)) {
        Operation *consumer = use->getOwner();
        Value x = use->get();
        Placement place = plan.placements[i];
        auto type = tensorType(x);
        SmallVector<int64_t> shape(type.getRank(), 1);
        shape[place.axis] = channels * place.block;
        auto maskType = RankedTensorType::get(shape, type.getElementType());
        std::string name = llvm::formatv("dsc.channel_mask.{0}.{1}", g, i).str();
        unsigned index = func.getNumArguments();
        func.insertArgument(index, maskType,
                            b.getDictionaryAttr(b.getNamedAttr("dsc.name", b.getStringAttr(name))),
                            consumer->getLoc());
        argumentNames.push_back(b.getStringAttr(name));
        blocks.push_back(place.block);
        Value mask = func.getArgument(index);
        OpBuilder builder(consumer);
        Location loc = consumer->getLoc();
        const std::vector<float> &a = plan.absorbed[i];
        std::vector<float> placed; // a_c at each index of the mask
        for (float v : a)
          placed.insert(placed.end(), place.block, v);
        bool zeroConstants = llvm::all_of(a, [](float v) { return v == 0.0f; });
        bool padded = isa<ConvOp, ConvTransposeOp>(consumer) && !absorbsExactly(use);
        if (zeroConstants || padded) { // x' = x * m
          use->set(builder.create<MulOp>(loc, type, x, mask));
        } else { // x' = (x - a) * m + a
          Value constant = createWeightConstant(builder, loc, maskType, placed,
                                                layerName(consumer) + ".removed_input");
          Value centred = builder.create<SubOp>(loc, type, x, constant);
          Value scaled = builder.create<MulOp>(loc, type, centred, mask);
          use->set(builder.create<AddOp>(loc, type, scaled, constant));
        }
        if (!padded || zeroConstants)
          continue;
        // z' = z + conv1x1(a - m * a, tapSums): what the pruned consumer's
        // bias gains for the removed channels (rewriteConsumer).
        Value z = consumer->getResult(0);
        auto resultType = tensorType(z);
        int64_t filters = resultType.getDimSize(1), spatial = resultType.getRank() - 2;
        Value constant = createWeightConstant(builder, loc, maskType, placed,
                                              layerName(consumer) + ".removed_input");
        Value kept = builder.create<MulOp>(loc, maskType, mask, constant);
        Value removedInput = builder.create<SubOp>(loc, maskType, constant, kept);
        SmallVector<int64_t> summedShape(resultType.getRank(), 1), correctionShape(
                                                                   resultType.getRank(), 1);
        summedShape[0] = correctionShape[1] = filters;
        summedShape[1] = channels;
        Value summed = createWeightConstant(
            builder, loc, RankedTensorType::get(summedShape, resultType.getElementType()),
            tapSums(consumer, channels), layerName(consumer) + ".tap_sums");
        SmallVector<int64_t> ones(spatial, 1), zeros(2 * spatial, 0);
        Value correction = builder.create<ConvOp>(
            loc, RankedTensorType::get(correctionShape, resultType.getElementType()),
            removedInput, summed, Value(), b.getDenseI64ArrayAttr(ones),
            b.getDenseI64ArrayAttr(zeros), b.getDenseI64ArrayAttr(ones), (int64_t)1);
        builder.setInsertionPointAfter(consumer);
        auto corrected = builder.create<AddOp>(loc, z.getType(), z, correction);
        z.replaceAllUsesExcept(corrected, corrected);
      }
      records.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("layers", b.getStringAttr(groupNames(plan.members))),
           b.getNamedAttr("channels", b.getI64IntegerAttr(channels)),
           b.getNamedAttr("arguments", b.getArrayAttr(argumentNames)),
           b.getNamedAttr("blocks", b.getDenseI64ArrayAttr(blocks)),
           b.getNamedAttr("ratios", b.getF64ArrayAttr(SmallVector<double>(
                                        maskRatios.begin(), maskRatios.end()))),
           b.getNamedAttr("removed", b.getArrayAttr(plan.removed))}));
    }
    func->setAttr("dsc.prune_masks", b.getArrayAttr(records));
    func->setAttr("dsc.prune_skipped", b.getArrayAttr(skipped));
    return success();
  }

  /// Why a group cannot be pruned at all, or "" when it can.
  std::string whyPinned(ArrayRef<unsigned> members) {
    for (unsigned m : members)
      if (!spaces[m].pinned.empty())
        return spaces[m].pinned;
    int64_t channels = spaces[members.front()].channels;
    for (unsigned m : members)
      if (spaces[m].channels != channels)
        return "its layers have different channel counts";
    if (llvm::none_of(members, [&](unsigned m) { return !spaces[m].consumers.empty(); }))
      return "no conv, conv-transpose, gemm or matmul reads its channels";
    return "";
  }

  /// The ratio that applies to a group: per-layer's entry for one of its
  /// layers, else the global ratio.
  double groupRatio(ArrayRef<unsigned> members) {
    double layerRatio = ratio;
    for (unsigned m : members) {
      auto it = layerRatios.find(layerName(spaces[m].producer));
      if (it != layerRatios.end())
        layerRatio = it->second;
    }
    return layerRatio;
  }

  /// Which channels of a group go at `layerRatio` (steps 1-3 below);
  /// `zero` gets the channels whose filters are all zero. Fails with `why`
  /// when the criterion cannot rank the group's channels but is asked to.
  LogicalResult chooseRemoved(ArrayRef<unsigned> members, double layerRatio,
                              std::vector<bool> &zero, std::vector<bool> &remove,
                              std::string &why) {
    int64_t channels = spaces[members.front()].channels;
    // 1. Channels whose filters are all zero (lossless candidates).
    zero.assign(channels, true);
    for (unsigned m : members) {
      auto rows = filterRows(spaces[m].producer);
      for (int64_t c = 0; c < channels; ++c)
        zero[c] = zero[c] && llvm::all_of(rows[c], [](float w) { return w == 0.0f; });
    }
    // 2. Channels the criterion selects.
    remove = zero;
    if (!losslessOnly) {
      auto score = importance(members, why);
      if (failed(score)) {
        if (layerRatio > 0 || threshold >= 0)
          return failure();
      } else {
        std::vector<int64_t> order(channels);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int64_t x, int64_t y) { return (*score)[x] < (*score)[y]; });
        int64_t count = (int64_t)std::floor(layerRatio * channels);
        for (int64_t i = 0; i < channels; ++i) {
          int64_t c = order[i];
          if (i < count || (threshold >= 0 && (*score)[c] < threshold))
            remove[c] = true;
        }
      }
    }
    // 3. Keep at least min-channels, rounded up to a multiple of round-to;
    //    the channels put back are the most important removed ones (zero
    //    filters last).
    int64_t kept = llvm::count(remove, false);
    int64_t target = std::max<int64_t>(kept, std::max<int64_t>(minChannels, 1));
    if (!losslessOnly && roundTo > 1)
      target = std::min<int64_t>(channels, (target + roundTo - 1) / roundTo * roundTo);
    for (int64_t c = channels - 1; c >= 0 && kept < target; --c)
      if (remove[c] && !zero[c]) {
        remove[c] = false;
        ++kept;
      }
    for (int64_t c = channels - 1; c >= 0 && kept < target; --c)
      if (remove[c]) {
        remove[c] = false;
        ++kept;
      }
    return success();
  }

  void pruneGroup(ArrayRef<unsigned> members, SmallVector<DictionaryAttr> &pruned,
                  SmallVector<DictionaryAttr> &skipped) {
    MLIRContext *ctx = &getContext();
    Builder b(ctx);
    std::string names = groupNames(members);
    auto skip = [&](StringRef why) {
      skipped.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("layers", b.getStringAttr(names)),
           b.getNamedAttr("reason", b.getStringAttr(why))}));
      emitRemark(spaces[members.front()].producer->getLoc())
          << "dsc-prune-channels: kept " << names << ": " << why;
    };
    if (std::string why = whyPinned(members); !why.empty())
      return skip(why);
    int64_t channels = spaces[members.front()].channels;
    std::vector<bool> zero, remove;
    std::string why;
    if (failed(chooseRemoved(members, groupRatio(members), zero, remove, why)))
      return skip(why);

    // 4. The constant each removed channel carries; exactness.
    // Spaces joined by a residual share what follows the join: each
    // consumer once.
    llvm::SetVector<OpOperand *> consumerSet;
    for (unsigned m : members)
      consumerSet.insert(spaces[m].consumers.begin(), spaces[m].consumers.end());
    ArrayRef<OpOperand *> consumers = consumerSet.getArrayRef();
    std::vector<std::vector<float>> absorbed(channels); // per consumer
    int64_t notExact = 0, keptNotExact = 0; // removed / kept (lossless) inexact channels
    for (int64_t c = 0; c < channels; ++c) {
      if (!remove[c])
        continue;
      auto known = channelConstants(members, c, zero[c]);
      bool exact = zero[c];
      for (OpOperand *use : consumers) {
        std::optional<float> v = known.lookup(use->get());
        exact = exact && v && (*v == 0.0f || absorbsExactly(use));
        absorbed[c].push_back(v.value_or(0.0f));
      }
      if (!exact && losslessOnly) {
        remove[c] = false;
        ++keptNotExact;
      } else if (!exact) {
        ++notExact;
      }
    }
    int64_t removedCount = llvm::count(remove, true);
    if (removedCount == 0) {
      if (keptNotExact)
        return skip("its zero channels carry a constant a padded conv or strided conv-transpose "
                    "cannot absorb exactly");
      return;
    }
    std::vector<int64_t> keptChannels;
    for (int64_t c = 0; c < channels; ++c)
      if (!remove[c])
        keptChannels.push_back(c);

    // 5. Rewrite: consumers first (they absorb the constants), then the space.
    for (auto [i, use] : llvm::enumerate(consumers)) {
      std::vector<float> constants(channels, 0.0f);
      for (int64_t c = 0; c < channels; ++c)
        if (remove[c])
          constants[c] = absorbed[c][i];
      rewriteConsumer(use, keptChannels, constants,
                      spaces[spaceOf.lookup(use->get())].values.lookup(use->get()));
    }
    llvm::SetVector<Operation *> rewritten;
    for (unsigned m : members) {
      rewriteProducer(spaces[m].producer, keptChannels);
      for (Operation *op : spaces[m].ops)
        if (rewritten.insert(op))
          rewriteChannelwise(op, keptChannels, channels);
      for (auto &[value, place] : spaces[m].values)
        setChannels(value, place, keptChannels.size());
    }
    pruned.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("layers", b.getStringAttr(names)),
         b.getNamedAttr("channels_before", b.getI64IntegerAttr(channels)),
         b.getNamedAttr("channels_after", b.getI64IntegerAttr(keptChannels.size())),
         b.getNamedAttr("exact", b.getBoolAttr(notExact == 0))}));
    emitRemark(spaces[members.front()].producer->getLoc())
        << "dsc-prune-channels: " << names << ": " << channels << " -> "
        << keptChannels.size() << " channels" << (notExact ? "" : " (exact)");
  }

  /// Keeps, along `axis` of a constant of `shape`, the blocks of `block`
  /// indices that belong to the kept channels.
  static std::vector<float> sliceAxis(ArrayRef<float> values, ArrayRef<int64_t> shape,
                                      int64_t axis, ArrayRef<int64_t> kept, int64_t block,
                                      SmallVector<int64_t> &newShape) {
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < axis; ++i)
      outer *= shape[i];
    for (int64_t i = axis + 1; i < (int64_t)shape.size(); ++i)
      inner *= shape[i];
    int64_t along = shape[axis];
    std::vector<float> out;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t c : kept)
        for (int64_t j = 0; j < block; ++j) {
          const float *row = values.data() + (o * along + c * block + j) * inner;
          out.insert(out.end(), row, row + inner);
        }
    newShape.assign(shape.begin(), shape.end());
    newShape[axis] = kept.size() * block;
    return out;
  }

  /// Replaces operand `index` of `op` (a constant) by its slice.
  void sliceOperand(Operation *op, unsigned index, int64_t axis, ArrayRef<int64_t> kept,
                    int64_t block = 1) {
    Value value = op->getOperand(index);
    auto type = tensorType(value);
    auto values = *getConstantFloats(value);
    SmallVector<int64_t> shape;
    auto sliced = sliceAxis(values, type.getShape(), axis, kept, block, shape);
    OpBuilder builder(op);
    op->setOperand(index, createWeightConstant(
                              builder, op->getLoc(),
                              RankedTensorType::get(shape, type.getElementType()), sliced,
                              "pruned"));
  }

  void setConstant(Operation *op, unsigned index, ArrayRef<float> values,
                   RankedTensorType type) {
    OpBuilder builder(op);
    op->setOperand(index, createWeightConstant(builder, op->getLoc(), type, values, "pruned"));
  }

  void rewriteProducer(Operation *producer, ArrayRef<int64_t> kept) {
    if (auto conv = dyn_cast<ConvOp>(producer)) {
      sliceOperand(conv, 1, 0, kept);
      if (conv.getBias())
        sliceOperand(conv, 2, 0, kept);
    } else if (auto convT = dyn_cast<ConvTransposeOp>(producer)) {
      sliceOperand(convT, 1, 1, kept); // [C, F, k...]
      if (convT.getBias())
        sliceOperand(convT, 2, 0, kept);
    } else if (auto gemm = dyn_cast<GemmOp>(producer)) {
      sliceOperand(gemm, 1, gemm.getTransB() ? 0 : 1, kept);
      if (gemm.getC() && tensorType(gemm.getC()).getDimSize(0) != 1)
        sliceOperand(gemm, 2, 0, kept);
    } else {
      sliceOperand(producer, 1, 1, kept);
    }
  }

  void rewriteChannelwise(Operation *op, ArrayRef<int64_t> kept, int64_t channels) {
    if (isa<BatchNormOp>(op)) {
      for (unsigned i = 1; i < 5; ++i)
        sliceOperand(op, i, 0, kept);
    } else if (auto conv = dyn_cast<ConvOp>(op)) { // depthwise
      sliceOperand(conv, 1, 0, kept);
      if (conv.getBias())
        sliceOperand(conv, 2, 0, kept);
      conv.setGroup(kept.size());
    } else if (isa<AddOp, SubOp, MulOp, DivOp>(op)) {
      for (unsigned i = 0; i < 2; ++i) {
        Value operand = op->getOperand(i);
        if (!matchPattern(operand, m_Constant()))
          continue;
        auto type = tensorType(operand);
        auto resultType = tensorType(op->getResult(0));
        Placement place = spaces[spaceOf.lookup(op->getResult(0))].values.lookup(
            op->getResult(0));
        int64_t axis = place.axis - (resultType.getRank() - type.getRank());
        if (axis >= 0 && type.getDimSize(axis) == channels)
          sliceOperand(op, i, axis, kept);
      }
    } else if (auto reshape = dyn_cast<ReshapeOp>(op)) {
      // The new static shape replaces the shape operand after setChannels.
      (void)reshape;
    }
  }

  void setChannels(Value value, Placement place, int64_t keptChannels) {
    auto type = tensorType(value);
    SmallVector<int64_t> shape(type.getShape());
    shape[place.axis] = keptChannels * place.block;
    value.setType(RankedTensorType::get(shape, type.getElementType()));
    if (auto reshape = value.getDefiningOp<ReshapeOp>()) {
      OpBuilder builder(reshape);
      auto shapeType = RankedTensorType::get({(int64_t)shape.size()}, builder.getI64Type());
      reshape->setOperand(1, builder.create<ConstantOp>(
                                 reshape.getLoc(), DenseIntElementsAttr::get(shapeType, shape)));
    }
  }

  /// A consumer reading the space at `place`: drop the removed input
  /// channels and fold their constants into the bias.
  void rewriteConsumer(OpOperand *use, ArrayRef<int64_t> kept, ArrayRef<float> constants,
                       Placement place) {
    Operation *op = use->getOwner();
    int64_t channels = constants.size();
    if (isa<ConvOp, ConvTransposeOp>(op)) {
      // bias'[f] += sum_c v_c * tapSums[f][c]  (see tapSums)
      Value weight = op->getOperand(1);
      auto wType = tensorType(weight);
      int64_t filters = tensorType(op->getResult(0)).getDimSize(1);
      Value biasValue = op->getNumOperands() > 2 ? op->getOperand(2) : Value();
      std::vector<float> bias(filters, 0.0f);
      if (biasValue)
        bias = *getConstantFloats(biasValue);
      bool changed = llvm::any_of(constants, [](float v) { return v != 0.0f; });
      if (changed) {
        auto sums = tapSums(op, channels);
        for (int64_t f = 0; f < filters; ++f)
          for (int64_t c = 0; c < channels; ++c)
            bias[f] += constants[c] * sums[f * channels + c];
      }
      sliceOperand(op, 1, isa<ConvTransposeOp>(op) ? 0 : 1, kept);
      if (changed) {
        auto biasType = RankedTensorType::get({filters}, wType.getElementType());
        if (biasValue) {
          setConstant(op, 2, bias, biasType);
        } else {
          OpBuilder builder(op);
          Value created = createWeightConstant(builder, op->getLoc(), biasType, bias,
                                               "pruned_bias");
          if (auto conv = dyn_cast<ConvOp>(op))
            conv.getBiasMutable().assign(created);
          else
            cast<ConvTransposeOp>(op).getBiasMutable().assign(created);
        }
      }
      return;
    }
    // gemm / matmul: rows j of b (features) belong to channel j / block.
    Value rhs = op->getOperand(1);
    auto rhsType = tensorType(rhs);
    bool transB = isa<GemmOp>(op) && cast<GemmOp>(op).getTransB();
    int64_t features = rhsType.getDimSize(transB ? 1 : 0);
    int64_t outputs = rhsType.getDimSize(transB ? 0 : 1);
    auto w = *getConstantFloats(rhs);
    std::vector<float> shift(outputs, 0.0f);
    bool changed = false;
    for (int64_t j = 0; j < features; ++j) {
      float v = constants[j / place.block];
      if (v == 0.0f)
        continue;
      changed = true;
      for (int64_t n = 0; n < outputs; ++n)
        shift[n] += v * (transB ? w[n * features + j] : w[j * outputs + n]);
    }
    sliceOperand(op, 1, transB ? 1 : 0, kept, place.block);
    if (!changed)
      return;
    OpBuilder builder(op);
    auto biasType = RankedTensorType::get({outputs}, rhsType.getElementType());
    if (auto gemm = dyn_cast<GemmOp>(op)) {
      if (gemm.getC()) {
        auto c = *getConstantFloats(gemm.getC()); // 1-D (checked by the producer test)
        for (int64_t n = 0; n < outputs; ++n)
          shift[n] = c[c.size() == 1 ? 0 : n] + shift[n] / gemm.getBeta().convertToFloat();
        setConstant(gemm, 2, shift, biasType);
      } else {
        gemm.getCMutable().assign(
            createWeightConstant(builder, gemm.getLoc(), biasType, shift, "pruned_bias"));
        gemm.setBeta(APFloat(1.0f));
      }
      return;
    }
    // matmul: y + shift after it.
    builder.setInsertionPointAfter(op);
    Value shiftValue = createWeightConstant(builder, op->getLoc(), biasType, shift, "pruned_bias");
    auto add = builder.create<AddOp>(op->getLoc(), op->getResult(0).getType(),
                                     op->getResult(0), shiftValue);
    op->getResult(0).replaceAllUsesExcept(add.getResult(), add);
  }
};

} // namespace
