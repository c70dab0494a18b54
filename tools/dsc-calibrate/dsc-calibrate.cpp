//===- dsc-calibrate.cpp - Collect activation statistics for quantization --===//
//
//   dsc-calibrate MODEL.mlir --data DIR -o profile.json [--bins 2048]
//                 [--max-samples N]
//
// Runs the float model over every sample folder of DIR (sorted; one file
// per input named after the sanitised input name, .npy or .pb) and writes
// the calibration profile --dsc-quantize reads: per float tensor its range
// and a histogram (CalibrationProfile.h).
//
// How: the model is folded as dsc-compile folds it before quantizing (so
// the tensors are the ones the quantizer sees), then run as an
// InstrumentedModel (every observed tensor an output, compiled for this
// machine, run in-process). Pass 1 finds each tensor's range, pass 2 fills
// the histograms over those ranges.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "InstrumentedModel.h"
#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"
#include "dsc/Pipelines/Pipelines.h"
#include "dsc/Pipelines/Registration.h"
#include "dsc/Support/Diagnostics.h"
#include "dsc/runtime.h"
#include "dsc/tensor_io.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace llvm;

static cl::OptionCategory category("dsc-calibrate options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"), cl::cat(category));
static cl::opt<std::string> dataDir("data", cl::Required,
                                    cl::desc("Data folder (one subfolder per sample)"),
                                    cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::Required, cl::desc("Profile to write"),
                                       cl::value_desc("profile.json"), cl::cat(category));
static cl::opt<int> bins("bins", cl::init(2048), cl::desc("Histogram bins per tensor"),
                         cl::cat(category));
static cl::opt<int> maxSamples("max-samples", cl::init(0),
                               cl::desc("Use at most this many samples (0: all)"),
                               cl::cat(category));

namespace {

[[noreturn]] void fail(const Twine &message) {
  errs() << "dsc-calibrate: error: " << message << "\n";
  exit(1);
}

void progress(int pass, size_t done, size_t total) {
  if (!sys::Process::StandardErrIsDisplayed())
    return;
  errs() << "\rdsc-calibrate: pass " << pass << "/2, sample " << done << "/" << total;
  if (done == total)
    errs() << "\n";
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "dsc-calibrate: activation statistics for --dsc-quantize\n");
  if (bins < 16 || bins > (1 << 20))
    fail("--bins must be between 16 and 1048576");

  std::string runtimeDir =
      dsc::runtimeDirOf(sys::fs::getMainExecutable(argv[0], (void *)&main));
  auto contextOwner = dsc::makeToolContext("dsc-calibrate");
  mlir::MLIRContext &context = *contextOwner;

  SourceMgr sourceMgr;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(modelPath, sourceMgr, &context);
  if (!module)
    return 1;
  {
    mlir::PassManager pm(&context);
    dsc::buildFoldPipeline(pm);
    if (mlir::failed(pm.run(*module)))
      return 1;
  }
  std::string error;
  auto model = dsc::InstrumentedModel::build(*module, runtimeDir, error);
  if (!model)
    fail(error);
  std::vector<std::string> folders = dsc::listSampleFolders(dataDir, error);
  if (!error.empty())
    fail(error);
  if (maxSamples > 0 && folders.size() > (size_t)maxSamples)
    folders.resize(maxSamples);
  // Every sample's inputs, read once for both passes.
  std::vector<std::vector<dsc_tensor>> samples(folders.size());
  for (size_t s = 0; s < folders.size(); ++s)
    if (!model->readSample(folders[s], samples[s], error))
      fail(error);
  auto runSample = [&](size_t s) {
    if (!model->run(samples[s], error))
      fail("running sample '" + folders[s] + "': " + error);
  };
  ArrayRef<std::string> keys = model->keys();
  auto observedData = [&](size_t k) { return model->observed(k); };

  dsc::CalibrationProfile profile;
  profile.samples = samples.size();
  profile.bins = bins;
  std::vector<dsc::TensorStatistics> stats(keys.size());
  std::vector<bool> seen(keys.size(), false);
  // Pass 1: ranges (non-finite values are left out), and for [N, C, H, W]
  // tensors the largest |x| of each channel.
  for (size_t s = 0; s < samples.size(); ++s) {
    runSample(s);
    for (size_t k = 0; k < keys.size(); ++k) {
      ArrayRef<float> values = observedData(k);
      for (float x : values) {
        if (!std::isfinite(x))
          continue;
        if (!seen[k]) {
          stats[k].min = stats[k].max = x;
          seen[k] = true;
        }
        stats[k].min = std::min<double>(stats[k].min, x);
        stats[k].max = std::max<double>(stats[k].max, x);
      }
      const dsc_tensor_info &info = model->observedInfo(k);
      if (info.rank != 4 || info.shape[1] <= 0)
        continue;
      int64_t channels = info.shape[1], plane = info.shape[2] * info.shape[3];
      if (plane <= 0)
        continue;
      stats[k].channelAbsMax.resize(channels, 0.0);
      for (size_t i = 0; i < values.size(); ++i)
        if (std::isfinite(values[i]))
          stats[k].channelAbsMax[(i / plane) % channels] =
              std::max<double>(stats[k].channelAbsMax[(i / plane) % channels],
                               std::fabs(values[i]));
    }
    progress(1, s + 1, samples.size());
  }
  // Pass 2: histograms over [min, max].
  for (auto &st : stats)
    st.histogram.assign(bins, 0);
  for (size_t s = 0; s < samples.size(); ++s) {
    runSample(s);
    for (size_t k = 0; k < keys.size(); ++k) {
      double lo = stats[k].min, width = (stats[k].max - stats[k].min) / bins;
      for (float x : observedData(k)) {
        if (!std::isfinite(x))
          continue;
        int64_t bin = width > 0 ? (int64_t)((x - lo) / width) : 0;
        stats[k].histogram[std::clamp<int64_t>(bin, 0, bins - 1)]++;
      }
    }
    progress(2, s + 1, samples.size());
  }
  for (size_t k = 0; k < keys.size(); ++k)
    profile.tensors[keys[k]] = std::move(stats[k]);

  for (auto &inputs : samples)
    for (dsc_tensor &t : inputs)
      dsc_tensor_free(&t);
  if (std::string error = dsc::writeCalibrationProfile(outputPath, profile); !error.empty())
    fail(error);
  errs() << "dsc-calibrate: " << keys.size() << " tensors over " << samples.size()
         << " samples -> " << outputPath << "\n";
  return 0;
}
