//===- PlanMemory.cpp - Static memory plan: intermediates in one arena -----===//
//
// Liveness is measured in the positions of the function's top-level ops: a
// buffer is live from its allocation to the last top-level op that uses it
// or any alias of it (views, reshapes, casts, and the results of ops whose
// regions yield it, and its address on the way to a kernel call). Buffers whose intervals overlap get disjoint arena
// ranges; the others may share bytes. Placement is first-fit in decreasing
// size order, every offset a multiple of 64 bytes.
//
//===----------------------------------------------------------------------===//

#include "dsc/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace dsc {
#define GEN_PASS_DEF_PLANMEMORY
#include "dsc/Conversion/Passes.h.inc"
} // namespace dsc

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;

struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes;
  int64_t start, end; // top-level op positions
  int64_t offset = -1;
};

/// The top-level op (a direct child of `block`) containing `op`.
Operation *topLevelAncestor(Operation *op, Block *block) {
  while (op && op->getBlock() != block)
    op = op->getParentOp();
  return op;
}

struct PlanMemoryPass : dsc::impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>("dsc_forward");
    if (!func || func.isExternal())
      return;
    Block &body = func.getBody().front();
    llvm::DenseMap<Operation *, int64_t> position;
    int64_t index = 0;
    for (Operation &op : body)
      position[&op] = index++;
    int64_t endOfFunction = index;

    SmallVector<Buffer> buffers;
    for (Operation &op : body) {
      auto alloc = dyn_cast<memref::AllocOp>(op);
      if (!alloc || !alloc.getType().hasStaticShape() ||
          !alloc.getType().getLayout().isIdentity())
        continue;
      MemRefType type = alloc.getType();
      // Sub-byte elements (i1, i4) take a whole byte each in memory.
      int64_t elementBytes = (type.getElementTypeBitWidth() + 7) / 8;
      int64_t bytes = type.getNumElements() * elementBytes;
      Buffer buffer{alloc, std::max<int64_t>(bytes, 1), position[alloc], 0};
      // Follow every alias to its last top-level user.
      SmallVector<Value> worklist = {alloc.getResult()};
      llvm::SmallPtrSet<Value, 8> seen;
      while (!worklist.empty()) {
        Value value = worklist.pop_back_val();
        if (!seen.insert(value).second)
          continue;
        for (OpOperand &use : value.getUses()) {
          Operation *user = use.getOwner();
          if (isa<memref::DeallocOp>(user))
            continue;
          Operation *top = topLevelAncestor(user, &body);
          buffer.end = std::max(buffer.end, top ? position[top] : endOfFunction);
          if (user->hasTrait<OpTrait::ReturnLike>() && user->getBlock() == &body)
            buffer.end = endOfFunction;
          // Any memref result of an op that takes the buffer may alias it
          // (views, reshapes, casts, loops whose iteration arguments start
          // from it), except linalg ops, which only read and write.
          bool mayAlias = !isa<linalg::LinalgOp>(user);
          if (user->hasTrait<OpTrait::IsTerminator>() && top) {
            for (Value result : top->getResults())
              if (isa<MemRefType>(result.getType()))
                worklist.push_back(result);
          }
          if (mayAlias)
            for (Value result : user->getResults())
              if (isa<MemRefType>(result.getType()))
                worklist.push_back(result);
          // A buffer's address passed to a kernel call: the buffer lives
          // until the call (CSE may share one address among calls).
          if (isa<memref::ExtractAlignedPointerAsIndexOp, arith::IndexCastOp,
                  LLVM::IntToPtrOp>(user))
            for (Value result : user->getResults())
              worklist.push_back(result);
        }
      }
      buffers.push_back(buffer);
    }
    if (buffers.empty())
      return;

    // First fit, largest first.
    SmallVector<Buffer *> order;
    for (Buffer &b : buffers)
      order.push_back(&b);
    llvm::sort(order, [](Buffer *a, Buffer *b) {
      return a->bytes != b->bytes ? a->bytes > b->bytes : a->start < b->start;
    });
    int64_t arenaSize = 0;
    SmallVector<Buffer *> placed;
    for (Buffer *buffer : order) {
      SmallVector<std::pair<int64_t, int64_t>> taken;
      for (Buffer *other : placed)
        if (other->start <= buffer->end && buffer->start <= other->end)
          taken.push_back({other->offset, other->offset + other->bytes});
      llvm::sort(taken);
      int64_t offset = 0;
      for (auto [lo, hi] : taken) {
        if (offset + buffer->bytes <= lo)
          break;
        offset = std::max(offset, (hi + kAlignment - 1) / kAlignment * kAlignment);
      }
      buffer->offset = offset;
      arenaSize = std::max(arenaSize, offset + buffer->bytes);
      placed.push_back(buffer);
    }
    arenaSize = (arenaSize + kAlignment - 1) / kAlignment * kAlignment;

    // The arena: a new last argument.
    OpBuilder builder(module.getContext());
    auto arenaType = MemRefType::get({arenaSize}, builder.getI8Type());
    unsigned arenaIndex = func.getNumArguments();
    func.insertArgument(arenaIndex, arenaType, {}, func.getLoc());
    Value arena = func.getArgument(arenaIndex);
    for (Buffer &buffer : buffers) {
      builder.setInsertionPoint(buffer.alloc);
      Value offset =
          builder.create<arith::ConstantIndexOp>(buffer.alloc.getLoc(), buffer.offset);
      Value view = builder.create<memref::ViewOp>(
          buffer.alloc.getLoc(), buffer.alloc.getType(), arena, offset, ValueRange{});
      for (Operation *user : llvm::make_early_inc_range(buffer.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      buffer.alloc.replaceAllUsesWith(view);
      buffer.alloc.erase();
    }
    addressKernelOperands(func, arena);
    module->setAttr("dsc.arena_size", builder.getI64IntegerAttr(arenaSize));
  }

  /// The address of a planned buffer handed to a kernel is the arena's
  /// address plus the buffer's byte offset. Spelled out here because
  /// expand-strided-metadata rewrites the address of a view-like op into
  /// its source's, which for memref.view drops the byte shift.
  static void addressKernelOperands(func::FuncOp func, Value arena) {
    func.walk([&](memref::ExtractAlignedPointerAsIndexOp extract) {
      // Reshapes of identity-layout buffers keep the address.
      Value source = extract.getSource();
      while (Operation *def = source.getDefiningOp()) {
        if (!isa<memref::ReshapeOp, memref::CollapseShapeOp, memref::ExpandShapeOp,
                 memref::CastOp>(def))
          break;
        source = def->getOperand(0);
      }
      auto view = source.getDefiningOp<memref::ViewOp>();
      if (!view || view.getSource() != arena)
        return;
      OpBuilder builder(extract);
      Location loc = extract.getLoc();
      Value base = builder.create<memref::ExtractAlignedPointerAsIndexOp>(loc, arena);
      Value address = builder.create<arith::AddIOp>(loc, base, view.getByteShift());
      extract.replaceAllUsesWith(address);
      extract.erase();
    });
  }
};

} // namespace
