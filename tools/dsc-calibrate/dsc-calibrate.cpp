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
// the tensors are the ones the quantizer sees), every observed tensor is
// added to @main's outputs, and the result is compiled for this machine
// into a shared library that is loaded and run in-process through the
// runtime's C API. Pass 1 finds each tensor's range, pass 2 fills the
// histograms over those ranges.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"
#include "dsc/Pipelines/Pipelines.h"
#include "dsc/Pipelines/Registration.h"
#include "dsc/Support/Diagnostics.h"
#include "dsc/Target/Native/ObjectEmitter.h"
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

std::string sanitize(StringRef name) {
  std::string out;
  for (char c : name)
    out += isAlnum(c) || c == '.' || c == '-' || c == '_' ? c : '_';
  return out;
}

/// Adds every observed tensor to @main's results (named by its key);
/// returns the keys in result order after the model's own outputs.
std::vector<std::string> exposeObservedTensors(mlir::func::FuncOp main) {
  auto observed = dsc::observedTensors(main);
  auto ret = cast<mlir::func::ReturnOp>(main.getBody().front().getTerminator());
  unsigned first = ret.getNumOperands();
  std::vector<std::string> keys;
  SmallVector<mlir::Value> operands(ret.getOperands());
  for (auto &[value, key] : observed) {
    operands.push_back(value);
    keys.push_back(key);
  }
  mlir::Builder b(main.getContext());
  SmallVector<mlir::DictionaryAttr> resultAttrs;
  for (unsigned i = 0; i < first; ++i)
    resultAttrs.push_back(main.getResultAttrDict(i) ? main.getResultAttrDict(i)
                                                    : b.getDictionaryAttr({}));
  for (const std::string &key : keys)
    resultAttrs.push_back(b.getDictionaryAttr(
        b.getNamedAttr("dsc.name", b.getStringAttr("dsc.observed." + key))));
  ret->setOperands(operands);
  SmallVector<mlir::Type> results(ret.getOperandTypes());
  main.setFunctionType(
      mlir::FunctionType::get(main.getContext(), main.getArgumentTypes(), results));
  main.setAllResultAttrs(resultAttrs);
  return keys;
}

struct Sample {
  std::string folder;
  std::vector<dsc_tensor> inputs;
};

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

  std::string selfPath = sys::fs::getMainExecutable(argv[0], (void *)&main);
  SmallString<256> runtimeDir(selfPath);
  sys::path::remove_filename(runtimeDir);
  sys::path::append(runtimeDir, "..", "lib");

  dsc::registerPasses();
  mlir::DialectRegistry registry;
  dsc::registerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadDialect<dsc::DSCDialect>();
  dsc::installToolDiagnosticHandler(context, "dsc-calibrate", [] { return ""; });

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
  auto mainFunc = module->lookupSymbol<mlir::func::FuncOp>("main");
  if (!mainFunc)
    fail("'" + modelPath + "' has no func.func @main");
  std::vector<std::string> keys = exposeObservedTensors(mainFunc);

  // Compile for this machine.
  Triple host(sys::getProcessTriple());
  std::string triple = host.getArch() == Triple::aarch64 ? "aarch64-linux-gnu"
                                                         : "x86_64-linux-gnu";
  {
    mlir::PassManager pm(&context);
    dsc::LowerToLLVMOptions options;
    options.target = triple;
    options.cpu = "native";
    dsc::buildLowerToLLVMPipeline(pm, options);
    if (mlir::failed(pm.run(*module)))
      return 1;
  }
  SmallString<128> workDir;
  if (sys::fs::createUniqueDirectory("dsc-calibrate", workDir))
    fail("cannot create a temporary folder");
  auto removeWork = make_scope_exit([&] { sys::fs::remove_directories(workDir); });
  SmallString<256> objectPath(workDir), libraryPath(workDir);
  sys::path::append(objectPath, "model.o");
  sys::path::append(libraryPath, "model.so");
  {
    dsc::NativeEmitOptions emitOptions;
    emitOptions.prefix = "calibration";
    // Every tensor is an output here, so nothing fuses and the function is
    // large: LLVM's O3 (and O1) take about a minute on PaddleOCR rec, O0 two
    // seconds. The heavy ops run in the runtime's kernels (optimised
    // either way); the rest runs only twice per sample.
    emitOptions.optimizationLevel = 0;
    std::string object, header;
    if (mlir::failed(dsc::emitNativeObject(*module, emitOptions, object, header)))
      return 1;
    std::error_code ec;
    raw_fd_ostream os(objectPath, ec);
    if (ec)
      fail("cannot write " + objectPath + ": " + ec.message());
    os << object;
  }
  if (mlir::failed(dsc::linkNative(*module, objectPath, libraryPath, runtimeDir, true)))
    return 1;
  void *library = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    fail(Twine("cannot load the compiled model: ") + dlerror());
  auto *model = (const dsc_model *)dlsym(library, "calibration_model");
  if (!model)
    fail("the compiled model has no calibration_model descriptor");
  dsc_status status;
  dsc_instance *instance = dsc_instance_create(model, nullptr, 0, &status);
  if (!instance)
    fail(Twine("cannot create an instance: ") + dsc_status_message(status));

  // Samples, sorted.
  std::vector<std::string> folders;
  std::error_code ec;
  for (sys::fs::directory_iterator it(dataDir, ec), end; it != end && !ec; it.increment(ec))
    if (sys::fs::is_directory(it->path()))
      folders.push_back(it->path());
  if (ec)
    fail("cannot read the data folder '" + dataDir + "': " + ec.message());
  std::sort(folders.begin(), folders.end());
  if (maxSamples > 0 && folders.size() > (size_t)maxSamples)
    folders.resize(maxSamples);
  if (folders.empty())
    fail("the data folder '" + dataDir + "' has no sample subfolders");

  // Input buffers per sample, read once.
  std::vector<Sample> samples;
  for (const std::string &folder : folders) {
    Sample sample{folder, {}};
    for (int32_t i = 0; i < model->num_inputs; ++i) {
      const dsc_tensor_info &info = model->inputs[i];
      std::string base = sanitize(info.name);
      SmallString<256> path(folder);
      sys::path::append(path, base + ".npy");
      if (!sys::fs::exists(path)) {
        path = folder;
        sys::path::append(path, base + ".pb");
      }
      if (!sys::fs::exists(path))
        fail("sample '" + folder + "' has no " + base + ".npy or .pb for input '" +
             info.name + "'");
      dsc_tensor tensor;
      char err[256];
      if (dsc_tensor_read(path.c_str(), &tensor, nullptr, 0, err, sizeof err) != 0)
        fail(Twine(path) + ": " + err);
      size_t expected = 0;
      dsc_tensor_info_size(&info, nullptr, &expected);
      if (tensor.dtype != info.dtype || tensor.num_bytes != expected)
        fail(Twine(path) + ": dtype " + dsc_dtype_name(tensor.dtype) + ", " +
             Twine(tensor.num_bytes) + " bytes; the model's input '" + info.name +
             "' is " + dsc_dtype_name(info.dtype) + ", " + Twine(expected) + " bytes");
      sample.inputs.push_back(tensor);
    }
    samples.push_back(std::move(sample));
  }

  // Output buffers.
  std::vector<std::vector<char>> outputs(model->num_outputs);
  std::vector<void *> outputPointers;
  for (int32_t i = 0; i < model->num_outputs; ++i) {
    size_t size = 0;
    dsc_tensor_info_size(&model->outputs[i], nullptr, &size);
    outputs[i].resize(std::max<size_t>(size, 1));
    outputPointers.push_back(outputs[i].data());
  }
  size_t firstObserved = model->num_outputs - keys.size();
  auto observedData = [&](size_t k) {
    const float *data = (const float *)outputs[firstObserved + k].data();
    uint64_t count = 0;
    dsc_tensor_info_size(&model->outputs[firstObserved + k], &count, nullptr);
    return ArrayRef<float>(data, count);
  };
  auto runSample = [&](const Sample &sample) {
    std::vector<void *> inputPointers;
    for (const dsc_tensor &t : sample.inputs)
      inputPointers.push_back(t.data);
    if (dsc_status s = dsc_run(instance, inputPointers.data(), outputPointers.data()))
      fail("running sample '" + sample.folder + "': " + dsc_status_message(s));
  };

  dsc::CalibrationProfile profile;
  profile.samples = samples.size();
  profile.bins = bins;
  std::vector<dsc::TensorStatistics> stats(keys.size());
  std::vector<bool> seen(keys.size(), false);
  // Pass 1: ranges (non-finite values are left out).
  for (size_t s = 0; s < samples.size(); ++s) {
    runSample(samples[s]);
    for (size_t k = 0; k < keys.size(); ++k)
      for (float x : observedData(k)) {
        if (!std::isfinite(x))
          continue;
        if (!seen[k]) {
          stats[k].min = stats[k].max = x;
          seen[k] = true;
        }
        stats[k].min = std::min<double>(stats[k].min, x);
        stats[k].max = std::max<double>(stats[k].max, x);
      }
    progress(1, s + 1, samples.size());
  }
  // Pass 2: histograms over [min, max].
  for (auto &st : stats)
    st.histogram.assign(bins, 0);
  for (size_t s = 0; s < samples.size(); ++s) {
    runSample(samples[s]);
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

  dsc_instance_destroy(instance);
  for (Sample &sample : samples)
    for (dsc_tensor &t : sample.inputs)
      dsc_tensor_free(&t);
  if (std::string error = dsc::writeCalibrationProfile(outputPath, profile); !error.empty())
    fail(error);
  errs() << "dsc-calibrate: " << keys.size() << " tensors over " << samples.size()
         << " samples -> " << outputPath << "\n";
  return 0;
}
