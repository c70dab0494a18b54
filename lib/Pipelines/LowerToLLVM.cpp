//===- LowerToLLVM.cpp - The dsc-lower-to-llvm pipeline --------------------===//
//
// dsc on tensors -> linalg/tensor/arith/math -> one-shot bufferization with
// caller-provided outputs -> loops -> LLVM dialect with bare-pointer calling
// convention. The target travels in module attributes (dsc.target_triple,
// dsc.target_cpu) so object emission needs no target flag.
//
//===----------------------------------------------------------------------===//

#include "dsc/Pipelines/Pipelines.h"

#include "dsc/Conversion/Passes.h"
#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

void dsc::buildLowerToLLVMPipeline(OpPassManager &pm,
                                   const LowerToLLVMOptions &options) {
  std::string cpu = options.cpu;
  if (cpu == "native")
    cpu = llvm::sys::getHostCPUName().str();
  // A run-time batch: the one-sample program, called once per sample.
  pm.addPass(createSplitBatch());
  // Debug builds: every tensor an output, before the interface is recorded.
  if (options.intermediates)
    pm.addPass(createExposeIntermediates());
  pm.addPass(createRecordModelInterface(
      RecordModelInterfaceOptions{options.target, cpu}));
  // Preparation the kernels need: BatchNormalization folded into the conv
  // or gemm before it, then bias, activation and residual add fused into
  // the conv/matmul epilogue (prepare=false keeps the graph as it is).
  if (options.prepare) {
    pm.addNestedPass<func::FuncOp>(createFoldBranches(FoldBranchesOptions{/*affines=*/false}));
    pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
    pm.addNestedPass<func::FuncOp>(createFuseOps());
  }
  // Fold the shape arithmetic exporters leave (Shape/Gather/Concat chains
  // feeding Reshape) so every shape operand is a constant.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertDSCToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Elementwise producers into their readers, where that computes each
  // element once.
  pm.addNestedPass<func::FuncOp>(createFuseElementwiseLoops());
  // Elementwise loops as long as their data, for the vectorizer.
  pm.addNestedPass<func::FuncOp>(createCollapseElementwise());

  // Bufferization: outputs become caller-provided buffers.
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  // Loop-carried tensors (dsc.loop -> scf.while) may live in new buffers.
  bufferization.allowReturnAllocsFromLoops = true;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  pm.addNestedPass<func::FuncOp>(createMaterializeOutputs());
  bufferization::BufferResultsToOutParamsOpts outParams;
  outParams.hoistStaticAllocs = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  // Intermediates into one arena before deallocation is decided, so only
  // the buffers left on the heap (in loops, dynamic) get deallocations.
  pm.addPass(createPlanMemory());
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);
  // Dynamic deallocation decisions (loops) become a helper function.
  pm.addPass(createBufferizationToMemRefPass());
  // Its helper takes dynamically shaped memrefs, which the bare-pointer
  // calling convention cannot pass: inline it and drop the function.
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());

  pm.addNestedPass<func::FuncOp>(createLowerMemRefCopies());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void dsc::buildFoldPipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createFoldBranches(FoldBranchesOptions{/*affines=*/false}));
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void dsc::registerPipelines() {
  PassPipelineRegistration<>(
      "dsc-fold",
      "Run dsc's folds: re-parameterised branches and per-channel affines "
      "into convs, BatchNormalization into conv/gemm, then constant "
      "folding and canonicalization",
      buildFoldPipeline);
  PassPipelineRegistration<LowerToLLVMOptions>(
      "dsc-lower-to-llvm",
      "Lower a dsc module to the LLVM dialect for object emission "
      "(options: target, cpu, prepare, intermediates)",
      buildLowerToLLVMPipeline);
}
