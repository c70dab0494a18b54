//===- Passes.td - dsc lowering passes ---------------------*- tablegen -*-===//

#ifndef DSC_CONVERSION_PASSES_TD
#define DSC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertDSCToLinalg : Pass<"convert-dsc-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower dsc ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites every dsc op into upstream ops with value semantics:
    elementwise ops (with ONNX broadcasting) and convolutions, pooling,
    normalisations and reductions into `linalg.generic`; matrix products into
    `linalg.matmul`/`linalg.batch_matmul`; layout ops into `tensor` ops.
    Shapes must be static; an op this pass cannot lower is reported with its
    ONNX node name and the pass fails.

    2-D float convolutions and matmuls with constant weights (plain or
    fused) become calls of the runtime's kernels (`dsc_conv2d_f32`,
    `dsc_matmul_f32`, declared in the module), with their weights packed
    at compile time into the kernels' layouts (runtime/include/dsc/kernels.h)
    and the epilogue passed along; the operands' buffers are reached through
    `bufferization.to_memref` and the result is a fresh buffer.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect",
    "mlir::scf::SCFDialect", "mlir::bufferization::BufferizationDialect",
    "mlir::memref::MemRefDialect", "mlir::func::FuncDialect",
    "mlir::LLVM::LLVMDialect"
  ];
}

def SplitBatch : Pass<"dsc-split-batch", "mlir::ModuleOp"> {
  let summary = "Compile a model with a run-time batch axis as its one-sample program";
  let description = [{
    A model whose inputs have a run-time dim on axis 0 (the batch, bounded
    by `dsc.dim_bounds`, default 1) runs as its program at batch 1, once
    per sample: the runtime's `dsc_run_batch` (docs/runtime.md) calls the
    entry point `n <= bound` times, each time on the next sample of every
    batched input and output. This is exact when the model computes each
    sample on its own, which the pass checks op by op: elementwise ops
    whose batched operands align with the result's axis 0; convolutions,
    pools and normalizations reading a batched input with constant
    parameters; softmax, reductions, concat, split, slice, gather,
    transpose, pad, squeeze/unsqueeze whose axes leave axis 0 alone;
    reshape/flatten keeping axis 0 as the sample; gemm/matmul/attention
    with the batch in the rows. Anything else that reads a batched tensor
    (a reduction over axis 0, Shape, DynamicQuantizeLinear, recurrent ops
    whose batch is axis 1, control flow) is refused with an error naming
    the node and the fix (`--input-shape` pins the batch). A run-time dim
    on another axis is refused the same way.

    The pass retypes every batched tensor to batch 1, marks the batched
    inputs and outputs `dsc.batch_bound = N` (read by
    `dsc-record-interface`, which records them as run-time dims with bound
    N) and the ops computing batched tensors `dsc.batched` (read by
    `dsc-expose-intermediates`), and sets `dsc.per_sample = N` on the module. A
    module without run-time dims is left as it is.
  }];
}

def RecordModelInterface : Pass<"dsc-record-interface", "mlir::ModuleOp"> {
  let summary = "Record the model's inputs/outputs and target for emission";
  let description = [{
    Stores, as module attributes, what object emission needs after the
    function has become LLVM: each input and output of `@main` (ONNX name,
    element type, shape) under `dsc.inputs`/`dsc.outputs`, and the target
    triple and CPU under `dsc.target_triple`/`dsc.target_cpu`. Renames
    `@main` to `dsc_forward` so it never clashes with a C `main`.
  }];
  let options = [
    Option<"targetTriple", "target", "std::string", "\"x86_64-linux-gnu\"",
           "Target triple: x86_64-linux-gnu or aarch64-linux-gnu">,
    Option<"targetCpu", "cpu", "std::string", "\"\"",
           "Target CPU (default: x86-64-v3 or cortex-a76; 'native' = host)">
  ];
}

def LowerMemRefCopies : Pass<"dsc-lower-memref-copies", "mlir::func::FuncOp"> {
  let summary = "Rewrite memref.copy into linalg.copy";
  let description = [{
    Bufferization leaves `memref.copy` ops; the LLVM lowering turns the
    non-contiguous ones into calls to MLIR's C runner library, which a
    deployed model must not depend on. As `linalg.copy` they become plain
    loops (and vector code) like every other linalg op.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def FuseElementwiseLoops : Pass<"dsc-fuse-elementwise-loops", "mlir::func::FuncOp"> {
  let summary = "Fuse linalg producers into their reader where each element is computed once";
  let description = [{
    MLIR's elementwise fusion of `linalg.generic` ops (and its reshape
    folding and canonicalizations), except that an all-parallel producer
    joins its one reader only when the reader's loops run no more
    iterations than the producer has elements. A reader that visits an
    element several times (a nearest upsampling's copy, whose read map
    divides the output indices; a broadcast) would otherwise compute it
    again at each visit: det's int8 neck ran its squeeze-and-excitation
    arithmetic 16 and 64 times per element inside the upsampling copies.
  }];
  let dependentDialects = ["mlir::affine::AffineDialect", "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def CollapseElementwise : Pass<"dsc-collapse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Run elementwise linalg ops over their tensors as one flat loop";
  let description = [{
    An elementwise `linalg.generic` (every loop parallel, no `linalg.index`)
    whose operands all walk their trailing dimensions in order is rewritten
    over those dimensions collapsed into one (`tensor.collapse_shape` in,
    `tensor.expand_shape` out: views, no copies). A `1x64x16x16` tensor then
    runs as one loop of 16384 instead of nests whose innermost loop of 16
    LLVM unrolls into scalar code before its vectorizer sees it; the
    quantize after resnet18's residual adds went from scalar to vector code.
    Size-1 dimensions are dropped first (MLIR's `dropUnitDims`), so a
    per-channel `[1, C, 1, 1]` operand is read as `[C]`; dimensions an
    operand broadcasts stay separate: against it `[1, C, H, W]` runs as
    `[C, H*W]`.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def MaterializeOutputs : Pass<"dsc-materialize-outputs", "mlir::func::FuncOp"> {
  let summary = "Give every returned buffer an allocation of its own";
  let description = [{
    After bufferization, an output that is an input, a global constant or
    another output is copied into a fresh `memref.alloc`, so every output
    becomes a distinct caller-provided buffer when results turn into out
    parameters.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def PlanMemory : Pass<"dsc-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place intermediate buffers in one arena (static memory plan)";
  let description = [{
    After bufferization, replaces every statically shaped `memref.alloc` at
    the top level of the model function by a `memref.view` into one arena,
    a new last argument of the function, so a run does no heap allocation.
    Two buffers share arena bytes only when their live ranges (allocation to
    last use of the buffer or any alias of it, measured in top-level ops)
    do not overlap; offsets are assigned first-fit, largest buffer first,
    64-byte aligned. The arena size is recorded as `dsc.arena_size` for the
    header and the runtime. Buffers inside loops or of dynamic size stay on
    the heap.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

#endif // DSC_CONVERSION_PASSES_TD
