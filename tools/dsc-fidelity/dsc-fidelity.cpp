//===- dsc-fidelity.cpp - Compare two models over a data folder ------------===//
//
//   dsc-fidelity --reference A --model B --data DIR [--json FILE]
//   dsc-fidelity --per-layer --reference A.mlir --model B.mlir --data DIR
//
// A and B are dsc executables (any target: aarch64 ones run under
// qemu-aarch64) or ONNX models (run with ONNX Runtime through
// utils/ort/run_ort.js). Every sample folder of DIR (sorted; one file per
// input, named after the sanitised input name, .npy or .pb; optionally
// label.npy) is run through both, and each output is compared (with
// --per-layer, A and B are dsc modules, e.g. a float model and its
// quantized form, and every tensor both name the same way is compared,
// in the reference's order, so the table shows where B departs from A):
//   max abs error      max |b - a|
//   cosine similarity  a.b / (|a| |b|), the worst sample
//   top-1 agreement    share of rows (last axis) whose argmax agrees
//   KL divergence      mean over rows of KL(softmax(a) || softmax(b))
//   accuracy           with label.npy: argmax of each model's first output
// Outputs pair up by name; --match REF=MODEL pairs two of different names
// (a teacher's logits and a student's).
// Prints a table, optionally JSON; exits 1 on any failure to run.
//
//===----------------------------------------------------------------------===//

#include "InstrumentedModel.h"
#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "dsc/Pipelines/Registration.h"
#include "dsc/Support/Diagnostics.h"
#include "dsc/runtime.h"
#include "dsc/tensor_io.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace llvm;

static cl::OptionCategory category("dsc-fidelity options");
static cl::opt<std::string> referencePath("reference", cl::Required,
                                          cl::desc("Reference: executable or .onnx"),
                                          cl::cat(category));
static cl::opt<std::string> modelPath("model", cl::Required,
                                      cl::desc("Model under test: executable or .onnx"),
                                      cl::cat(category));
static cl::opt<std::string> dataDir("data", cl::Required,
                                    cl::desc("Data folder (one subfolder per sample)"),
                                    cl::cat(category));
static cl::opt<std::string> jsonPath("json", cl::desc("Also write the results as JSON"),
                                     cl::cat(category));
static cl::opt<bool> perLayer("per-layer",
                              cl::desc("Compare intermediate tensors layer by layer"),
                              cl::cat(category));
static cl::list<std::string> matches(
    "match",
    cl::desc("REF=MODEL: compare the reference's output REF with the model's output MODEL "
             "(e.g. a teacher's logits with a student's; default: outputs of the same name)"),
    cl::cat(category));
static cl::opt<std::string> ortRunner(
    "ort-runner", cl::desc("run_ort.js (default: <prefix>/share/dsc/ort/run_ort.js when "
                           "installed, else utils/ort/run_ort.js of the source tree)"),
    cl::cat(category));

namespace {

[[noreturn]] void fail(const Twine &message) {
  errs() << "dsc-fidelity: error: " << message << "\n";
  exit(1);
}

std::string sanitize(StringRef name) {
  std::string out;
  for (char c : name)
    out += isAlnum(c) || c == '.' || c == '-' || c == '_' ? c : '_';
  return out;
}

/// How to run one side: argv prefix, and input names by sanitised name.
struct Runner {
  std::vector<std::string> argv;
  std::map<std::string, std::string> inputNames; // sanitised -> real
  bool isOnnx = false;
};

/// True when `path` is an AArch64 ELF (e_machine 183).
bool isAArch64Elf(StringRef path) {
  auto buffer = MemoryBuffer::getFileSlice(path, 20, 0);
  if (!buffer || (*buffer)->getBufferSize() < 20)
    return false;
  const unsigned char *p = (const unsigned char *)(*buffer)->getBufferStart();
  return p[0] == 0x7f && p[1] == 'E' && p[18] == 183 && p[19] == 0;
}

std::string runCapture(ArrayRef<std::string> argv, int &rc) {
  SmallString<128> outPath;
  sys::fs::createTemporaryFile("dsc-fidelity", "txt", outPath);
  FileRemover remove(outPath);
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(outPath), std::nullopt};
  SmallVector<StringRef> refs(argv.begin(), argv.end());
  auto program = sys::findProgramByName(argv[0]);
  rc = sys::ExecuteAndWait(program ? *program : argv[0], refs, std::nullopt, redirects);
  auto buffer = MemoryBuffer::getFile(outPath);
  return buffer ? (*buffer)->getBuffer().str() : "";
}

Runner makeRunner(StringRef path, StringRef self) {
  Runner runner;
  if (!sys::fs::exists(path))
    fail("'" + path + "' does not exist");
  if (path.ends_with(".onnx")) {
    runner.isOnnx = true;
    std::string script = ortRunner;
    if (script.empty()) {
      // An installed dsc: <prefix>/share/dsc/ort; a build tree: the source
      // tree's utils/ort, beside the build folder.
      SmallString<256> bin(self);
      sys::path::remove_filename(bin);
      SmallString<256> installed(bin), source(bin);
      sys::path::append(installed, "..", "share", "dsc");
      sys::path::append(installed, "ort", "run_ort.js");
      sys::path::append(source, "..", "..", "utils");
      sys::path::append(source, "ort", "run_ort.js");
      script = std::string(sys::fs::exists(installed) ? installed : source);
    }
    runner.argv = {"node", script, path.str()};
    return runner;
  }
  if (isAArch64Elf(path) && !StringRef(sys::getProcessTriple()).starts_with("aarch64"))
    runner.argv = {"qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"};
  runner.argv.push_back(path.str());
  std::vector<std::string> info = runner.argv;
  info.push_back("--info");
  int rc;
  std::string text = runCapture(info, rc);
  if (rc != 0)
    fail("'" + path + " --info' failed");
  auto json = json::parse(text);
  if (!json)
    fail("cannot parse the --info of '" + path + "'");
  if (auto *inputs = json->getAsObject()->getArray("inputs"))
    for (const json::Value &input : *inputs)
      if (auto name = input.getAsObject()->getString("name"))
        runner.inputNames[sanitize(*name)] = name->str();
  return runner;
}

/// Runs `runner` on one sample; outputs land in `outDir`.
void runSample(const Runner &runner, StringRef sampleDir,
               ArrayRef<std::string> inputFiles, StringRef outDir) {
  std::vector<std::string> argv = runner.argv;
  for (const std::string &file : inputFiles) {
    StringRef stem = sys::path::stem(file);
    std::string name = stem.str();
    if (!runner.isOnnx) {
      auto it = runner.inputNames.find(name);
      if (it == runner.inputNames.end())
        fail("'" + file + "' in " + sampleDir + " matches no input of " +
             argv.back());
      name = it->second;
    }
    argv.push_back("--input");
    argv.push_back(name + "=" + file);
  }
  argv.push_back("--output-dir");
  argv.push_back(outDir.str());
  int rc;
  runCapture(argv, rc);
  if (rc != 0)
    fail("running " + join(argv, " ") + " failed (exit " + std::to_string(rc) + ")");
}

std::vector<double> readAsDouble(StringRef path, std::vector<int64_t> &shape) {
  dsc_tensor tensor;
  char err[256];
  if (dsc_tensor_read(path.str().c_str(), &tensor, nullptr, 0, err, sizeof err) != 0)
    fail("cannot read '" + path + "': " + err);
  shape.assign(tensor.shape, tensor.shape + tensor.rank);
  std::vector<double> values(tensor.num_elements);
  for (uint64_t i = 0; i < tensor.num_elements; ++i) {
    switch (tensor.dtype) {
    case DSC_FLOAT: values[i] = ((const float *)tensor.data)[i]; break;
    case DSC_DOUBLE: values[i] = ((const double *)tensor.data)[i]; break;
    case DSC_INT64: values[i] = (double)((const int64_t *)tensor.data)[i]; break;
    case DSC_INT32: values[i] = ((const int32_t *)tensor.data)[i]; break;
    case DSC_INT8: values[i] = ((const int8_t *)tensor.data)[i]; break;
    case DSC_UINT8: values[i] = ((const uint8_t *)tensor.data)[i]; break;
    case DSC_BOOL: values[i] = ((const uint8_t *)tensor.data)[i]; break;
    default:
      dsc_tensor_free(&tensor);
      fail("'" + path + "' has an element type dsc-fidelity does not compare");
    }
  }
  dsc_tensor_free(&tensor);
  return values;
}

struct Metrics {
  double maxAbs = 0, worstCosine = 1, klSum = 0;
  int64_t rows = 0, agree = 0, samples = 0;
};

/// argmax of each row (last axis) of `values`.
std::vector<int64_t> rowArgmax(const std::vector<double> &values, int64_t width) {
  std::vector<int64_t> result;
  for (size_t r = 0; r + width <= values.size(); r += width) {
    int64_t best = 0;
    for (int64_t j = 1; j < width; ++j)
      if (values[r + j] > values[r + best])
        best = j;
    result.push_back(best);
  }
  return result;
}

/// softmax over one row.
std::vector<double> softmax(const double *row, int64_t width) {
  double max = row[0];
  for (int64_t j = 1; j < width; ++j)
    max = std::max(max, row[j]);
  std::vector<double> p(width);
  double sum = 0;
  for (int64_t j = 0; j < width; ++j)
    sum += p[j] = std::exp(row[j] - max);
  for (double &v : p)
    v /= sum;
  return p;
}

/// --per-layer: both modules instrumented, every shared tensor compared.
int comparePerLayer(StringRef self) {
  if (!StringRef(referencePath).ends_with(".mlir") || !StringRef(modelPath).ends_with(".mlir"))
    fail("--per-layer compares two dsc modules (.mlir), e.g. the folded float model and "
         "its quantized form");
  std::string runtimeDir = dsc::runtimeDirOf(self);
  auto contextOwner = dsc::makeToolContext("dsc-fidelity");
  mlir::MLIRContext &context = *contextOwner;
  std::string error;
  auto load = [&](StringRef path) {
    SourceMgr sourceMgr;
    mlir::OwningOpRef<mlir::ModuleOp> module =
        mlir::parseSourceFile<mlir::ModuleOp>(path, sourceMgr, &context);
    if (!module)
      exit(1);
    auto model = dsc::InstrumentedModel::build(*module, runtimeDir, error);
    if (!model)
      fail(path + ": " + error);
    return model;
  };
  auto reference = load(referencePath), model = load(modelPath);
  std::vector<std::string> folders = dsc::listSampleFolders(dataDir, error);
  if (!error.empty())
    fail(error);
  std::vector<dsc::LayerComparison> comparisons;
  if (!dsc::compareLayers(*reference, *model, folders, comparisons, error))
    fail(error);
  outs() << formatv("{0,-40} {1,14} {2,10} {3,12}\n", "tensor", "max abs error", "cosine",
                    "rel. error");
  json::Array entries;
  for (const dsc::LayerComparison &c : comparisons) {
    outs() << formatv("{0,-40} {1,14:e3} {2,10:f6} {3,12:e3}\n", c.tensor, c.maxAbsError,
                      c.minCosine, c.relativeError);
    entries.push_back(json::Object{{"tensor", c.tensor},
                                   {"max_abs_error", c.maxAbsError},
                                   {"min_cosine", c.minCosine},
                                   {"relative_error", c.relativeError},
                                      {"non_finite", c.nonFinite}});
  }
  outs() << formatv("{0} tensors compared over {1} samples ({2} of the reference's have no "
                    "counterpart in the model)\n",
                    comparisons.size(), folders.size(),
                    (int64_t)reference->keys().size() - (int64_t)comparisons.size());
  if (!jsonPath.empty()) {
    std::error_code writeError;
    raw_fd_ostream os(jsonPath, writeError);
    if (writeError)
      fail("cannot write '" + jsonPath + "': " + writeError.message());
    os << formatv("{0:2}", json::Value(json::Object{{"reference", referencePath},
                                                    {"model", modelPath},
                                                    {"samples", (int64_t)folders.size()},
                                                    {"tensors", std::move(entries)}}))
       << "\n";
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "dsc fidelity: compare two models on a data folder\n");
  std::string self = sys::fs::getMainExecutable(argv[0], (void *)&main);
  if (perLayer)
    return comparePerLayer(self);
  Runner reference = makeRunner(referencePath, self);
  Runner model = makeRunner(modelPath, self);
  // Output files are named after the sanitised output names.
  std::map<std::string, std::string> modelOutputFor;
  for (const std::string &pair : matches) {
    auto [ref, mod] = StringRef(pair).split('=');
    if (ref.empty() || mod.empty())
      fail("--match takes REF=MODEL (two output names), not '" + pair + "'");
    modelOutputFor[sanitize(ref) + ".npy"] = sanitize(mod) + ".npy";
  }

  std::error_code ec;
  std::vector<std::string> samples;
  for (sys::fs::directory_iterator it(dataDir, ec), end; it != end && !ec; it.increment(ec))
    if (sys::fs::is_directory(it->path()))
      samples.push_back(it->path());
  if (ec || samples.empty())
    fail("'" + dataDir + "' holds no sample folders");
  llvm::sort(samples);

  SmallString<128> work;
  if (sys::fs::createUniqueDirectory("dsc-fidelity", work))
    fail("cannot create a work folder");
  // ONNX models run every sample in one ONNX Runtime process.
  auto runAllOnnx = [&](const Runner &runner, StringRef dir) {
    std::vector<std::string> argv = runner.argv;
    argv.insert(argv.end(), {"--data", dataDir, "--output-dir", dir.str()});
    int rc;
    runCapture(argv, rc);
    if (rc != 0)
      fail("running " + join(argv, " ") + " failed");
  };
  if (reference.isOnnx)
    runAllOnnx(reference, (work + "/refall").str());
  if (model.isOnnx)
    runAllOnnx(model, (work + "/modelall").str());
  std::map<std::string, Metrics> metrics; // by output file
  int64_t labelled = 0, refCorrect = 0, modelCorrect = 0;
  std::string firstOutput;
  for (auto [index, sample] : llvm::enumerate(samples)) {
    std::vector<std::string> inputs;
    std::optional<std::string> labelFile;
    for (sys::fs::directory_iterator it(sample, ec), end; it != end && !ec; it.increment(ec)) {
      StringRef path = it->path();
      if (sys::path::filename(path) == "label.npy")
        labelFile = path.str();
      else if (path.ends_with(".npy") || path.ends_with(".pb"))
        inputs.push_back(path.str());
    }
    llvm::sort(inputs);
    StringRef sampleName = sys::path::filename(sample);
    std::string refOut = reference.isOnnx ? (work + "/refall/" + sampleName).str()
                                          : (work + "/ref" + Twine(index)).str();
    std::string modelOut = model.isOnnx ? (work + "/modelall/" + sampleName).str()
                                        : (work + "/model" + Twine(index)).str();
    if (!reference.isOnnx)
      runSample(reference, sample, inputs, refOut);
    if (!model.isOnnx)
      runSample(model, sample, inputs, modelOut);
    std::vector<std::string> outputs;
    for (sys::fs::directory_iterator it(refOut, ec), end; it != end && !ec; it.increment(ec))
      outputs.push_back(sys::path::filename(it->path()).str());
    llvm::sort(outputs);
    if (firstOutput.empty() && !outputs.empty())
      firstOutput = outputs.front();
    for (const std::string &output : outputs) {
      std::vector<int64_t> refShape, modelShape;
      auto a = readAsDouble(refOut + "/" + output, refShape);
      std::string modelOutput = output;
      if (auto it = modelOutputFor.find(output); it != modelOutputFor.end())
        modelOutput = it->second;
      else if (!modelOutputFor.empty())
        continue; // with --match, only the matched outputs
      if (!sys::fs::exists(modelOut + "/" + modelOutput))
        fail("the model wrote no '" + modelOutput + "' for " + sample +
             (modelOutputFor.empty() ? " (--match REF=MODEL pairs outputs of other names)"
                                     : ""));
      auto b = readAsDouble(modelOut + "/" + modelOutput, modelShape);
      if (refShape != modelShape)
        fail("'" + output + "' has different shapes for " + sample);
      Metrics &m = metrics[modelOutput == output
                               ? output
                               : StringRef(output).drop_back(4).str() + "=" + modelOutput];
      ++m.samples;
      double dot = 0, na = 0, nb = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        m.maxAbs = std::max(m.maxAbs, std::fabs(a[i] - b[i]));
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
      }
      double cosine = na == 0 && nb == 0 ? 1.0 : dot / std::sqrt(na * nb);
      m.worstCosine = std::min(m.worstCosine, cosine);
      int64_t width = refShape.empty() ? 1 : refShape.back();
      if (width > 1) {
        auto ra = rowArgmax(a, width), rb = rowArgmax(b, width);
        for (size_t r = 0; r < ra.size(); ++r) {
          ++m.rows;
          m.agree += ra[r] == rb[r];
          // KL(p || q) = sum p log(p / q), p = softmax(reference).
          auto p = softmax(&a[r * width], width), q = softmax(&b[r * width], width);
          double kl = 0;
          for (int64_t j = 0; j < width; ++j)
            if (p[j] > 0)
              kl += p[j] * std::log(p[j] / std::max(q[j], 1e-300));
          m.klSum += kl;
        }
        if (labelFile && output == firstOutput) {
          std::vector<int64_t> labelShape;
          auto labels = readAsDouble(*labelFile, labelShape);
          for (size_t r = 0; r < ra.size() && r < labels.size(); ++r) {
            ++labelled;
            refCorrect += ra[r] == (int64_t)labels[r];
            modelCorrect += rb[r] == (int64_t)labels[r];
          }
        }
      }
    }
  }
  sys::fs::remove_directories(work);
  for (const auto &[ref, mod] : modelOutputFor)
    if (!metrics.count(StringRef(ref).drop_back(4).str() + "=" + mod) && !metrics.count(ref))
      fail("the reference has no output '" + StringRef(ref).drop_back(4) + "' (--match)");

  outs() << formatv("{0,-28} {1,14} {2,10} {3,10} {4,12}\n", "output", "max abs error",
                    "cosine", "top-1", "KL");
  json::Array jsonOutputs;
  for (const auto &[name, m] : metrics) {
    std::string top1 = m.rows ? formatv("{0:P2}", (double)m.agree / m.rows).str() : "-";
    std::string kl = m.rows ? formatv("{0:e2}", m.klSum / m.rows).str() : "-";
    outs() << formatv("{0,-28} {1,14:e3} {2,10:f6} {3,10} {4,12}\n",
                      StringRef(name).drop_back(4), m.maxAbs, m.worstCosine, top1, kl);
    json::Object entry{{"output", StringRef(name).drop_back(4)},
                       {"samples", m.samples},
                       {"max_abs_error", m.maxAbs},
                       {"min_cosine", m.worstCosine}};
    if (m.rows) {
      entry["top1_agreement"] = (double)m.agree / m.rows;
      entry["kl_divergence"] = m.klSum / m.rows;
    }
    jsonOutputs.push_back(std::move(entry));
  }
  json::Object result{{"reference", referencePath}, {"model", modelPath},
                      {"samples", (int64_t)samples.size()},
                      {"outputs", std::move(jsonOutputs)}};
  if (labelled) {
    outs() << formatv("accuracy on {0} labels: reference {1:P2}, model {2:P2}\n",
                      labelled, (double)refCorrect / labelled,
                      (double)modelCorrect / labelled);
    result["accuracy"] = json::Object{{"labels", labelled},
                                      {"reference", (double)refCorrect / labelled},
                                      {"model", (double)modelCorrect / labelled}};
  }
  if (!jsonPath.empty()) {
    std::error_code writeError;
    raw_fd_ostream os(jsonPath, writeError);
    if (writeError)
      fail("cannot write '" + jsonPath + "': " + writeError.message());
    os << formatv("{0:2}", json::Value(std::move(result))) << "\n";
  }
  return 0;
}
