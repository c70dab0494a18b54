//===- InstrumentedModel.cpp - A model that shows every tensor -------------===//

#include "InstrumentedModel.h"

#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"
#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "dsc/Dialect/DSC/Transforms/Passes.h"
#include "dsc/Pipelines/Pipelines.h"
#include "dsc/Pipelines/Registration.h"
#include "dsc/Support/Diagnostics.h"
#include "dsc/Target/Native/ObjectEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <map>

using namespace llvm;

namespace {

std::string sanitize(StringRef name) {
  std::string out;
  for (char c : name)
    out += isAlnum(c) || c == '.' || c == '-' || c == '_' ? c : '_';
  return out;
}

} // namespace

std::unique_ptr<dsc::InstrumentedModel>
dsc::InstrumentedModel::build(mlir::ModuleOp module, StringRef runtimeDir, std::string &error,
                              bool observe) {
  auto main = module.lookupSymbol<mlir::func::FuncOp>("main");
  if (!main) {
    error = "the module has no func.func @main";
    return nullptr;
  }
  // A run-time batch axis compiles to the one-sample program
  // (dsc-split-batch, in the lowering); other run-time dims are refused there.
  std::unique_ptr<InstrumentedModel> result(new InstrumentedModel());
  if (observe)
    result->keys_ = dsc::exposeIntermediates(main, "dsc.observed.");

  Triple host(sys::getProcessTriple());
  {
    mlir::PassManager pm(module.getContext());
    LowerToLLVMOptions options;
    options.target = host.getArch() == Triple::aarch64 ? "aarch64-linux-gnu"
                                                       : "x86_64-linux-gnu";
    options.cpu = "native";
    buildLowerToLLVMPipeline(pm, options);
    if (mlir::failed(pm.run(module))) {
      error = "the instrumented model does not compile (see above)";
      return nullptr;
    }
  }
  SmallString<128> work;
  if (sys::fs::createUniqueDirectory("dsc-instrumented", work)) {
    error = "cannot create a temporary folder";
    return nullptr;
  }
  result->workDir_ = std::string(work);
  SmallString<256> objectPath(work), libraryPath(work);
  sys::path::append(objectPath, "model.o");
  sys::path::append(libraryPath, "model.so");
  {
    NativeEmitOptions emitOptions;
    emitOptions.prefix = "instrumented";
    // Every tensor is an output here, so nothing fuses and the function is
    // large: LLVM's O3 (and O1) take about a minute on PaddleOCR rec, O0
    // two seconds. The heavy ops run in the runtime's kernels (optimised
    // either way); the rest runs once or twice per sample. Unobserved
    // models (a sensitivity sweep runs one many times) are optimised.
    emitOptions.optimizationLevel = observe ? 0 : 2;
    std::string object, header;
    if (mlir::failed(emitNativeObject(module, emitOptions, object, header))) {
      error = "cannot emit the instrumented model";
      return nullptr;
    }
    std::error_code ec;
    raw_fd_ostream os(objectPath, ec);
    if (ec) {
      error = "cannot write " + std::string(objectPath) + ": " + ec.message();
      return nullptr;
    }
    os << object;
  }
  if (mlir::failed(linkNative(module, objectPath, libraryPath, runtimeDir, true))) {
    error = "cannot link the instrumented model";
    return nullptr;
  }
  result->library_ = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!result->library_) {
    error = std::string("cannot load the compiled model: ") + dlerror();
    return nullptr;
  }
  result->model_ = (const dsc_model *)dlsym(result->library_, "instrumented_model");
  if (!result->model_) {
    error = "the compiled model has no descriptor";
    return nullptr;
  }
  dsc_status status;
  result->instance_ = dsc_instance_create(result->model_, nullptr, 0, &status);
  if (!result->instance_) {
    error = std::string("cannot create an instance: ") + dsc_status_message(status);
    return nullptr;
  }
  const dsc_model *model = result->model_;
  result->outputs_.resize(model->num_outputs);
  for (int32_t i = 0; i < model->num_outputs; ++i) {
    size_t size = 0;
    dsc_tensor_info_size(&model->outputs[i], nullptr, &size);
    result->outputs_[i].resize(std::max<size_t>(size, 1));
    result->outputPointers_.push_back(result->outputs_[i].data());
  }
  result->firstObserved_ = model->num_outputs - result->keys_.size();
  result->numSampleInputs_ = model->num_inputs;
  while (result->numSampleInputs_ > 0 &&
         StringRef(model->inputs[result->numSampleInputs_ - 1].name)
             .starts_with("dsc.channel_mask."))
    --result->numSampleInputs_;
  return result;
}

dsc::InstrumentedModel::~InstrumentedModel() {
  dsc_instance_destroy(instance_);
  if (library_)
    dlclose(library_);
  if (!workDir_.empty())
    sys::fs::remove_directories(workDir_);
}

bool dsc::InstrumentedModel::readSample(StringRef folder, std::vector<dsc_tensor> &inputs,
                                        std::string &error) const {
  for (size_t i = 0; i < numSampleInputs_; ++i) {
    const dsc_tensor_info &info = model_->inputs[i];
    std::string base = sanitize(info.name);
    SmallString<256> path(folder);
    sys::path::append(path, base + ".npy");
    if (!sys::fs::exists(path)) {
      path = folder;
      sys::path::append(path, base + ".pb");
    }
    if (!sys::fs::exists(path)) {
      error = "sample '" + folder.str() + "' has no " + base + ".npy or .pb for input '" +
              info.name + "'";
      return false;
    }
    dsc_tensor tensor;
    char err[256];
    if (dsc_tensor_read(path.c_str(), &tensor, nullptr, 0, err, sizeof err) != 0) {
      error = std::string(path) + ": " + err;
      return false;
    }
    size_t expected = 0;
    dsc_tensor_info_size(&info, nullptr, &expected);
    // A run-time batch axis: 1 to bound samples.
    if (model_->per_sample > 0 && info.dynamic && info.rank > 0 && info.dynamic[0] &&
        tensor.rank == info.rank && tensor.shape[0] >= 1 &&
        tensor.shape[0] <= info.shape[0])
      expected = expected / info.shape[0] * tensor.shape[0];
    if (tensor.dtype != info.dtype || tensor.num_bytes != expected) {
      error = (Twine(path) + ": dtype " + dsc_dtype_name(tensor.dtype) + ", " +
               Twine(tensor.num_bytes) + " bytes; the model's input '" + info.name + "' is " +
               dsc_dtype_name(info.dtype) + ", " + Twine(expected) + " bytes")
                  .str();
      dsc_tensor_free(&tensor);
      return false;
    }
    inputs.push_back(tensor);
  }
  return true;
}

bool dsc::InstrumentedModel::run(const std::vector<dsc_tensor> &inputs, std::string &error) {
  std::vector<void *> pointers;
  for (const dsc_tensor &t : inputs)
    pointers.push_back(t.data);
  batch_ = -1;
  for (size_t i = 0; i < inputs.size() && model_->per_sample > 0; ++i)
    if (model_->inputs[i].dynamic && model_->inputs[i].rank > 0 && model_->inputs[i].dynamic[0])
      batch_ = inputs[i].shape[0];
  dsc_status status = batch_ >= 0
                          ? dsc_run_batch(instance_, batch_, pointers.data(),
                                          outputPointers_.data())
                          : dsc_run(instance_, pointers.data(), outputPointers_.data());
  if (dsc_status s = status) {
    error = dsc_status_message(s);
    return false;
  }
  return true;
}

uint64_t dsc::InstrumentedModel::elementsRun(const dsc_tensor_info &info) const {
  uint64_t count = 0;
  dsc_tensor_info_size(&info, &count, nullptr);
  if (batch_ >= 0 && info.dynamic && info.rank > 0 && info.dynamic[0] && info.shape[0] > 0)
    count = count / info.shape[0] * batch_;
  return count;
}

ArrayRef<float> dsc::InstrumentedModel::output(size_t i) const {
  return ArrayRef<float>((const float *)outputs_[i].data(), elementsRun(model_->outputs[i]));
}

ArrayRef<float> dsc::InstrumentedModel::observed(size_t k) const {
  return ArrayRef<float>((const float *)outputs_[firstObserved_ + k].data(),
                         elementsRun(model_->outputs[firstObserved_ + k]));
}

std::vector<std::string> dsc::listSampleFolders(StringRef dataDir, std::string &error) {
  std::vector<std::string> folders;
  std::error_code ec;
  for (sys::fs::directory_iterator it(dataDir, ec), end; it != end && !ec; it.increment(ec))
    if (sys::fs::is_directory(it->path()))
      folders.push_back(it->path());
  if (ec)
    error = "cannot read the data folder '" + dataDir.str() + "': " + ec.message();
  else if (folders.empty())
    error = "the data folder '" + dataDir.str() + "' has no sample subfolders";
  std::sort(folders.begin(), folders.end());
  return folders;
}

bool dsc::compareLayers(InstrumentedModel &reference, InstrumentedModel &model,
                        ArrayRef<std::string> folders,
                        std::vector<LayerComparison> &comparisons, std::string &error) {
  std::map<std::string, size_t> modelIndex;
  for (auto [i, key] : llvm::enumerate(model.keys()))
    modelIndex[key] = i;
  struct Sums {
    double maxAbs = 0, worstCosine = 1, errorSquares = 0, referenceSquares = 0;
    int64_t nonFinite = 0;
    bool compared = false;
  };
  std::vector<Sums> sums(reference.keys().size());
  for (const std::string &folder : folders) {
    std::vector<dsc_tensor> inputs;
    bool ok = reference.readSample(folder, inputs, error) && reference.run(inputs, error) &&
              model.run(inputs, error);
    for (dsc_tensor &t : inputs)
      dsc_tensor_free(&t);
    if (!ok) {
      error = "sample '" + folder + "': " + error;
      return false;
    }
    for (auto [i, key] : llvm::enumerate(reference.keys())) {
      auto it = modelIndex.find(key);
      if (it == modelIndex.end())
        continue;
      ArrayRef<float> a = reference.observed(i), b = model.observed(it->second);
      if (a.size() != b.size())
        continue;
      Sums &m = sums[i];
      m.compared = true;
      double dot = 0, na = 0, nb = 0;
      for (size_t j = 0; j < a.size(); ++j) {
        // Equal values (an attention mask's -inf in both) agree; a
        // non-finite value on one side only is left out of the sums and
        // counted.
        if (a[j] == b[j] && !std::isfinite(a[j]))
          continue;
        if (!std::isfinite(a[j]) || !std::isfinite(b[j])) {
          ++m.nonFinite;
          continue;
        }
        double d = (double)b[j] - a[j];
        m.maxAbs = std::max(m.maxAbs, std::fabs(d));
        m.errorSquares += d * d;
        dot += (double)a[j] * b[j];
        na += (double)a[j] * a[j];
        nb += (double)b[j] * b[j];
      }
      m.referenceSquares += na;
      m.worstCosine =
          std::min(m.worstCosine, na == 0 && nb == 0 ? 1.0 : dot / std::sqrt(na * nb));
    }
  }
  for (auto [i, key] : llvm::enumerate(reference.keys())) {
    const Sums &m = sums[i];
    if (!m.compared)
      continue;
    double relative = m.referenceSquares > 0 ? std::sqrt(m.errorSquares / m.referenceSquares)
                                             : std::sqrt(m.errorSquares);
    comparisons.push_back({key, m.maxAbs, m.worstCosine, relative, m.nonFinite});
  }
  return true;
}

std::string dsc::runtimeDirOf(StringRef selfPath) {
  SmallString<256> dir(selfPath);
  sys::path::remove_filename(dir);
  sys::path::append(dir, "..", "lib");
  return std::string(dir);
}

std::unique_ptr<mlir::MLIRContext> dsc::makeToolContext(StringRef tool) {
  registerPasses();
  mlir::DialectRegistry registry;
  registerDialects(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->loadDialect<DSCDialect>();
  installToolDiagnosticHandler(*context, tool, [] { return ""; });
  return context;
}
