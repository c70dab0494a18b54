//===- InstrumentedModel.h - A model that shows every tensor ----*- C++ -*-===//
//
// For the tools that look inside a model (dsc-calibrate, dsc-fidelity
// --per-layer): the module's observed tensors (observedTensors in
// CalibrationProfile.h) become extra outputs of @main, the module is
// compiled for this machine into a shared library, loaded, and run
// in-process through the runtime's C API, one sample folder at a time.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_TOOLS_COMMON_INSTRUMENTEDMODEL_H
#define DSC_TOOLS_COMMON_INSTRUMENTEDMODEL_H

#include "dsc/runtime.h"
#include "dsc/tensor_io.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <vector>

namespace dsc {

class InstrumentedModel {
public:
  /// Instruments and compiles `module` (changed in place); `runtimeDir`
  /// holds <triple>/libdsc_runtime.a. With `observe` false nothing is
  /// added (only the model's own outputs, optimised code). Returns null and
  /// sets `error`.
  static std::unique_ptr<InstrumentedModel> build(mlir::ModuleOp module,
                                                  llvm::StringRef runtimeDir,
                                                  std::string &error, bool observe = true);
  ~InstrumentedModel();

  /// The observed tensors' keys, in program order.
  llvm::ArrayRef<std::string> keys() const { return keys_; }

  /// The compiled model's descriptor.
  const dsc_model &descriptor() const { return *model_; }
  /// The inputs a sample folder gives: all but the trailing run-time
  /// channel masks (`dsc.channel_mask.*`) a tool supplies itself.
  size_t numSampleInputs() const { return numSampleInputs_; }
  /// The values of the model's own output `i` (a float output) after the
  /// last run.
  llvm::ArrayRef<float> output(size_t i) const;

  /// Reads a sample folder's inputs (`<input>.npy` or `.pb`, sanitised
  /// names) into `inputs`; false and `error` on a missing or mismatching
  /// file.
  bool readSample(llvm::StringRef folder, std::vector<dsc_tensor> &inputs,
                  std::string &error) const;
  /// Runs one sample folder's inputs (from readSample); a model with a
  /// run-time batch axis runs as many samples as the inputs hold.
  bool run(const std::vector<dsc_tensor> &inputs, std::string &error);
  /// The values of observed tensor `k` after the last run.
  llvm::ArrayRef<float> observed(size_t k) const;
  /// Observed tensor `k`'s shape (at the bounds of a run-time batch).
  const dsc_tensor_info &observedInfo(size_t k) const {
    return model_->outputs[firstObserved_ + k];
  }

private:
  InstrumentedModel() = default;
  std::vector<std::string> keys_;
  std::string workDir_;
  void *library_ = nullptr;
  const dsc_model *model_ = nullptr;
  dsc_instance *instance_ = nullptr;
  std::vector<std::vector<char>> outputs_;
  std::vector<void *> outputPointers_;
  size_t firstObserved_ = 0;
  size_t numSampleInputs_ = 0;
  int64_t batch_ = -1; // samples of the last run, for a model with a run-time batch
  /// Elements of tensor `info` after the last run (a run-time batch holds
  /// batch_ samples, not its bound).
  uint64_t elementsRun(const dsc_tensor_info &info) const;
};

/// How far one tensor of a model is from the reference's tensor of the
/// same key, over a data folder: the largest |b - a|, the worst per-sample
/// cosine similarity, and ||b - a|| / ||a|| over all samples.
struct LayerComparison {
  std::string tensor;
  double maxAbsError = 0, minCosine = 1, relativeError = 0;
  /// Elements finite on one side and not the other (left out above).
  int64_t nonFinite = 0;
};

/// Runs both models on every sample folder and compares each tensor they
/// both observe (same key, same size), in the reference's order.
bool compareLayers(InstrumentedModel &reference, InstrumentedModel &model,
                   llvm::ArrayRef<std::string> folders,
                   std::vector<LayerComparison> &comparisons, std::string &error);

/// The runtime libraries' folder of a tool installed at `selfPath`
/// (<bin>/../lib, holding <triple>/libdsc_runtime.a).
std::string runtimeDirOf(llvm::StringRef selfPath);

/// A context for a tool: the dsc dialects and passes registered, the
/// tool's diagnostics on stderr as "<tool>: error: ...".
std::unique_ptr<mlir::MLIRContext> makeToolContext(llvm::StringRef tool);

/// The sample subfolders of a data folder, sorted.
std::vector<std::string> listSampleFolders(llvm::StringRef dataDir, std::string &error);

} // namespace dsc

#endif // DSC_TOOLS_COMMON_INSTRUMENTEDMODEL_H
