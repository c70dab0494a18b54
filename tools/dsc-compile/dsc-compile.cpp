//===- dsc-compile.cpp - One command from ONNX to a deployable binary ------===//
//
//   dsc-compile MODEL -o OUTDIR [--target TRIPLE] [--cpu CPU]
//       [--input-shape NAME=d0,d1,...]... [--dim-bound NAME:AXIS=N]...
//       [--fidelity-data DIR] [--print-commands] [--name P]
//
// Runs the library steps a user could run by hand (dsc-translate, dsc-opt,
// dsc-fidelity) in the order import -> fold-distillation -> prune -> fold ->
// quantize -> fuse -> lower -> emit, and writes into OUTDIR: model.mlir
// (the compressed dsc module), model.o and model.h, the target's runtime
// library, the executable `model`, and report.json. Steps that are not
// built yet (distillation folding, pruning, quantization, fusion, ONNX
// export) are refused with a message when asked for.
//
//===----------------------------------------------------------------------===//

#include "InstrumentedModel.h"
#include "ReportView.h"
#include "dsc/Dialect/DSC/Analysis/ModelStats.h"
#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"
#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Dialect/DSC/Transforms/Passes.h"
#include "dsc/Pipelines/Pipelines.h"
#include "dsc/Pipelines/Registration.h"
#include "dsc/Support/Diagnostics.h"
#include "dsc/Target/Native/ObjectEmitter.h"
#include "dsc/Target/ONNX/ONNXExporter.h"
#include "dsc/Target/ONNX/ONNXImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <chrono>
#include <map>
#include <optional>

using namespace llvm;

static cl::OptionCategory category("dsc-compile options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx>"), cl::cat(category));
static cl::opt<std::string> outDir("o", cl::Required, cl::desc("Output folder"),
                                   cl::value_desc("dir"), cl::cat(category));
static cl::opt<std::string> target("target", cl::init("x86_64-linux-gnu"),
                                   cl::desc("x86_64-linux-gnu or aarch64-linux-gnu"),
                                   cl::cat(category));
static cl::opt<std::string> cpu("cpu", cl::desc("Target CPU (default per target; native)"),
                                cl::cat(category));
static cl::opt<std::string> name("name", cl::init("model"),
                                 cl::desc("Prefix of the entry points"), cl::cat(category));
static cl::list<std::string> inputShapes("input-shape", cl::desc("NAME=d0,d1,..."),
                                         cl::cat(category));
static cl::list<std::string> dimBounds("dim-bound", cl::desc("NAME:AXIS=N"),
                                       cl::cat(category));
static cl::opt<std::string> foldDistillation(
    "fold-distillation", cl::ValueOptional,
    cl::desc("Strip teacher and loss heads (optionally =OUTPUTS)"), cl::cat(category));
static cl::opt<std::string> prune("prune", cl::desc("Channel pruning options"),
                                  cl::cat(category));
static cl::opt<std::string> quantize("quantize", cl::desc("Quantization options"),
                                     cl::cat(category));
static cl::opt<bool> equalize(
    "equalize",
    cl::desc("int8: even out the channel ranges of depthwise conv inputs "
             "(--dsc-equalize-depthwise, between two calibrations)"),
    cl::cat(category));
static cl::opt<std::string> calibrationData("calibration-data",
                                            cl::desc("Calibration data folder"),
                                            cl::cat(category));
static cl::opt<std::string> fidelityData(
    "fidelity-data", cl::desc("Data folder to measure fidelity against ONNX Runtime"),
    cl::cat(category));
static cl::opt<bool> intermediates(
    "intermediates",
    cl::desc("Debug build: every float tensor an extra output, which the "
             "executable's --dump-all DIR writes"),
    cl::cat(category));
static cl::opt<bool> printCommands("print-commands",
                                   cl::desc("Print the equivalent dsc-* commands"),
                                   cl::cat(category));

namespace {

[[noreturn]] void fail(const Twine &step, const Twine &message) {
  errs() << "dsc-compile: error: " << step << ": " << message << "\n";
  exit(1);
}

void progress(int step, int total, const Twine &what) {
  errs() << "[" << step << "/" << total << "] " << what << "\n";
}

bool writeFile(StringRef path, StringRef bytes) {
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return false;
  os << bytes;
  return true;
}

/// Runs `pass{options}` on every function of `module`; a bad option string
/// fails the step with the parser's message, a pass error returns failure.
mlir::LogicalResult runPassWithOptions(mlir::ModuleOp module, StringRef step,
                                       StringRef pass, StringRef options,
                                       StringRef shownOptions) {
  mlir::PassManager pm(module.getContext());
  std::string errors;
  raw_string_ostream errorStream(errors);
  if (mlir::failed(mlir::parsePassPipeline(
          ("func.func(" + pass + "{" + options + "})").str(), pm, errorStream)))
    fail(step, "bad options '" + shownOptions + "': " + errors);
  return pm.run(module);
}

/// One layer auto-skip may keep in float: its name, and the tensors it
/// reads and writes (the Relu's output when the quantizer absorbs one).
struct SkipCandidate {
  std::string name, inputKey, outputKey;
};

/// Sensitivity-driven mixed precision (`auto-skip=T` in --quantize): the
/// float model and the quantized one (with `skip` so far) run on the
/// calibration data as InstrumentedModels; while an output's worst cosine
/// similarity with float is below T, the layer that adds the most relative
/// error (its output's error minus its input's) is kept in float, and the
/// model is quantized again. One compile per layer kept in float, none per
/// layer measured. Returns the layers to skip; logs each choice in `log`.
std::vector<std::string> chooseSkips(mlir::ModuleOp floatModule, StringRef quantizeOptions,
                                     double target, ArrayRef<std::string> folders,
                                     StringRef runtimeDir, json::Array &log) {
  auto main = floatModule.lookupSymbol<mlir::func::FuncOp>("main");
  DenseMap<mlir::Value, std::string> keys;
  for (auto &[value, key] : dsc::observedTensors(main))
    keys[value] = key;
  std::vector<std::string> outputKeys;
  for (mlir::Value v : main.getBody().front().getTerminator()->getOperands())
    if (keys.count(v))
      outputKeys.push_back(keys.lookup(v));
  std::vector<SkipCandidate> candidates;
  main.walk([&](mlir::Operation *op) {
    if (!isa<dsc::ConvOp, dsc::GemmOp, dsc::MatMulOp>(op) || !keys.count(op->getResult(0)))
      return;
    mlir::Value out = op->getResult(0);
    if (isa<dsc::ConvOp>(op) && out.hasOneUse() && isa<dsc::ReluOp>(*out.getUsers().begin()))
      out = (*out.getUsers().begin())->getResult(0);
    candidates.push_back({dsc::layerName(op), keys.lookup(op->getOperand(0)), keys.lookup(out)});
  });

  std::string error;
  mlir::OwningOpRef<mlir::ModuleOp> floatCopy(floatModule.clone());
  auto reference = dsc::InstrumentedModel::build(*floatCopy, runtimeDir, error);
  if (!reference)
    fail("quantize", "auto-skip: " + error);
  std::vector<std::string> skipped;
  for (size_t round = 0; round <= candidates.size(); ++round) {
    mlir::OwningOpRef<mlir::ModuleOp> quantized(floatModule.clone());
    {
      // The trial quantizations' remarks would repeat every round.
      mlir::ScopedDiagnosticHandler quiet(floatModule.getContext(), [](mlir::Diagnostic &d) {
        return mlir::success(d.getSeverity() == mlir::DiagnosticSeverity::Remark);
      });
      std::string options = quantizeOptions.str();
      if (!skipped.empty())
        options += " skip=" + join(skipped, ",");
      if (mlir::failed(
              runPassWithOptions(*quantized, "quantize", "dsc-quantize", options, options)))
        fail("quantize", "auto-skip: quantizing with '" + options + "' failed");
    }
    auto model = dsc::InstrumentedModel::build(*quantized, runtimeDir, error);
    std::vector<dsc::LayerComparison> comparisons;
    if (!model || !dsc::compareLayers(*reference, *model, folders, comparisons, error))
      fail("quantize", "auto-skip: " + error);
    std::map<std::string, dsc::LayerComparison> byKey;
    for (const dsc::LayerComparison &c : comparisons)
      byKey[c.tensor] = c;
    double outputCosine = 1;
    for (const std::string &key : outputKeys)
      if (byKey.count(key))
        outputCosine = std::min(outputCosine, byKey[key].minCosine);
    errs() << formatv("   auto-skip: {0} layer(s) in float, output cosine {1:f5} (target "
                      "{2:f5})\n",
                      skipped.size(), outputCosine, target);
    if (outputCosine >= target)
      break;
    // The layer that adds the most error, among those still quantized.
    auto errorOf = [&](const std::string &key) {
      auto it = byKey.find(key);
      return it == byKey.end() ? 0.0 : it->second.relativeError;
    };
    const SkipCandidate *worst = nullptr;
    double worstAdded = -1;
    for (const SkipCandidate &c : candidates) {
      if (llvm::is_contained(skipped, c.name))
        continue;
      double added = errorOf(c.outputKey) - errorOf(c.inputKey);
      if (added > worstAdded) {
        worstAdded = added;
        worst = &c;
      }
    }
    if (!worst) {
      errs() << "   auto-skip: every layer is in float and the target is still not met\n";
      break;
    }
    skipped.push_back(worst->name);
    log.push_back(json::Object{{"layer", worst->name},
                               {"added_relative_error", worstAdded},
                               {"output_cosine_before", outputCosine}});
    errs() << formatv("   auto-skip: keep {0} in float (it adds relative error {1:e2})\n",
                      worst->name, worstAdded);
  }
  return skipped;
}

/// Runs the tool `name` (beside dsc-compile) on `module`, written with its
/// locations (tools name tensors by their ONNX nodes) to a temporary file
/// given as the first argument, then `args`; fails the step when it fails.
void runToolOnModule(mlir::ModuleOp module, StringRef binDir, StringRef step, StringRef name,
                     ArrayRef<std::string> args) {
  SmallString<128> path;
  if (sys::fs::createTemporaryFile("dsc-compile-model", "mlir", path))
    fail(step, "cannot create a temporary file");
  FileRemover remove(path);
  std::string text;
  raw_string_ostream os(text);
  module->print(os, mlir::OpPrintingFlags().enableDebugInfo());
  if (!writeFile(path, text))
    fail(step, "cannot write the model for " + name);
  SmallString<256> tool(binDir);
  sys::path::append(tool, name);
  std::vector<std::string> owned = {std::string(tool), std::string(path)};
  owned.insert(owned.end(), args.begin(), args.end());
  SmallVector<StringRef> refs(owned.begin(), owned.end());
  if (sys::ExecuteAndWait(tool, refs) != 0)
    fail(step, name + " failed (it says why above)");
}

/// The executable's median latency at one thread on the first sample of
/// `dataDir`, when it runs on this machine (same architecture) and a
/// sample holds every input; nullopt otherwise.
std::optional<json::Object> measureLatency(const std::string &executable,
                                           ArrayRef<std::string> inputNames,
                                           StringRef dataDir) {
  Triple host(sys::getProcessTriple()), code(target.getValue());
  if (dataDir.empty() || host.getArch() != code.getArch())
    return std::nullopt;
  std::string error;
  std::vector<std::string> folders = dsc::listSampleFolders(dataDir, error);
  if (!error.empty())
    return std::nullopt;
  const int runs = 20;
  std::vector<std::string> owned = {executable};
  for (const std::string &input : inputNames) {
    std::string file;
    for (char c : input)
      file += isAlnum(c) || c == '.' || c == '-' || c == '_' ? c : '_';
    SmallString<256> path(folders.front());
    sys::path::append(path, file + ".npy");
    if (!sys::fs::exists(path)) {
      path = folders.front();
      sys::path::append(path, file + ".pb");
    }
    if (!sys::fs::exists(path))
      return std::nullopt;
    owned.push_back("--input");
    owned.push_back(input + "=" + std::string(path));
  }
  SmallString<128> outputDir, stdoutPath;
  if (sys::fs::createUniqueDirectory("dsc-compile-latency", outputDir))
    return std::nullopt;
  stdoutPath = outputDir;
  sys::path::append(stdoutPath, "stdout.txt");
  owned.insert(owned.end(), {"--output-dir", std::string(outputDir), "--repeat",
                             std::to_string(runs), "--threads", "1"});
  SmallVector<StringRef> refs(owned.begin(), owned.end());
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(stdoutPath), std::nullopt};
  int status = sys::ExecuteAndWait(executable, refs, std::nullopt, redirects);
  std::optional<json::Object> result;
  if (auto buffer = MemoryBuffer::getFile(stdoutPath); status == 0 && buffer) {
    SmallVector<StringRef> lines;
    (*buffer)->getBuffer().split(lines, '\n', -1, false);
    for (StringRef line : lines)
      if (auto parsed = json::parse(line))
        if (auto *object = parsed->getAsObject())
          if (auto median = object->getNumber("median_ms"))
            result = json::Object{{"median_ms", *median}, {"runs", runs}, {"threads", 1},
                                  {"sample", folders.front()}};
  }
  sys::fs::remove_directories(outputDir);
  return result;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "dsc-compile: ONNX model to a compressed native binary\n");
  auto start = std::chrono::steady_clock::now();

  // --quantize takes the pass's options verbatim, or a shorthand.
  std::string quantizeOptions = quantize;
  if (quantize == "int8")
    quantizeOptions = "mode=int8";
  else if (quantize == "int8-dynamic")
    quantizeOptions = "mode=int8-dynamic";
  else if (quantize == "int4-weight-only")
    quantizeOptions = "mode=weight-only bits=4 block=32";
  bool hasProfile = StringRef(quantizeOptions).contains("profile=");
  bool calibrates = !quantize.empty() && !hasProfile &&
                    !StringRef(quantizeOptions).contains("mode=int8-dynamic") &&
                    !StringRef(quantizeOptions).contains("mode=weight-only");
  // Per-channel scales before depthwise convs (--dsc-equalize-depthwise)
  // for the calibrated int8 mode.
  bool equalizes = !quantize.empty() && equalize &&
                   !StringRef(quantizeOptions).contains("mode=int8-dynamic") &&
                   !StringRef(quantizeOptions).contains("mode=weight-only");
  std::string givenProfile;
  for (StringRef token : llvm::split(StringRef(quantizeOptions), ' '))
    if (token.consume_front("profile="))
      givenProfile = token.str();
  if (equalize && !equalizes)
    fail("quantize", "--equalize evens out activations for calibrated int8: give --quantize "
                     "int8 (or mode=int8 ...), not " +
                         (quantize.empty() ? std::string("none") : "'" + quantizeOptions + "'"));
  if (calibrates && calibrationData.empty())
    fail("quantize", "calibrated int8 needs --calibration-data DIR (sample inputs, one "
                     "folder per sample) or profile=FILE in the options");
  if (!calibrationData.empty() && quantize.empty())
    fail("quantize", "--calibration-data is for --quantize; nothing to calibrate");

  std::string fidelityReference = modelPath;
  // sensitivity=FILE in --prune is the driver's: before pruning it runs
  // dsc-prune-sensitivity (with the options that rank channels) on the
  // fidelity (else calibration) data and writes FILE; the rest goes to the
  // pass, which is skipped when nothing is left.
  std::string pruneOptions, sensitivityPath, rankingOptions;
  {
    SmallVector<StringRef> tokens;
    StringRef(prune).split(tokens, ' ', -1, false);
    for (StringRef token : tokens) {
      if (token.consume_front("sensitivity=")) {
        sensitivityPath = token.str();
        continue;
      }
      if (token.starts_with("criterion=") || token.starts_with("min-channels=") ||
          token.starts_with("round-to="))
        rankingOptions += (rankingOptions.empty() ? "" : " ") + token.str();
      pruneOptions += (pruneOptions.empty() ? "" : " ") + token.str();
    }
    if (!sensitivityPath.empty() && fidelityData.empty() && calibrationData.empty())
      fail("prune", "sensitivity=FILE measures on a data folder: give --fidelity-data DIR "
                    "(or --calibration-data DIR)");
  }
  std::string sensitivityData = fidelityData.empty() ? calibrationData : fidelityData;

  std::string selfPath = sys::fs::getMainExecutable(argv[0], (void *)&main);
  SmallString<256> binDir(selfPath);
  sys::path::remove_filename(binDir);
  SmallString<256> runtimeDir(binDir);
  sys::path::append(runtimeDir, "..", "lib");

  if (std::error_code ec = sys::fs::create_directories(outDir))
    fail("output", "cannot create '" + outDir + "': " + ec.message());
  auto out = [&](StringRef file) {
    SmallString<256> path(outDir);
    sys::path::append(path, file);
    return std::string(path);
  };

  std::string lowerOptions = "target=" + target + (cpu.empty() ? "" : " cpu=" + cpu) +
                             (intermediates ? " intermediates=true" : "");
  if (printCommands) {
    std::string shapes;
    for (const auto &s : inputShapes)
      shapes += " --input-shape " + s;
    for (const auto &s : dimBounds)
      shapes += " --dim-bound " + s;
    outs() << "dsc-translate --import-onnx " << modelPath << shapes << " -o "
           << out("imported.mlir") << "\n"
           << (foldDistillation.getNumOccurrences()
                   ? "dsc-opt " + out("imported.mlir") + " --dsc-fold-distillation" +
                         (foldDistillation.empty() ? std::string()
                                                   : "=\"outputs=" + foldDistillation + "\"") +
                         " -o " + out("imported.mlir") + "\n"
                   : std::string())
           << (sensitivityPath.empty()
                   ? std::string()
                   : "dsc-prune-sensitivity " + out("imported.mlir") + " --data " +
                         sensitivityData + " --options \"" + rankingOptions + "\" -o " +
                         sensitivityPath + "\n")
           << (pruneOptions.empty()
                   ? std::string()
                   : "dsc-opt " + out("imported.mlir") + " --dsc-prune-channels=\"" +
                         pruneOptions + "\" -o " + out("imported.mlir") + "\n")
           << (quantize.empty()
                   ? "dsc-opt " + out("imported.mlir") + " --dsc-fold --dsc-fuse -o " +
                         out("model.mlir") + "\n"
                   : "dsc-opt " + out("imported.mlir") + " --dsc-fold -o " +
                         out("folded.mlir") + "\n" +
                         (calibrates ? "dsc-calibrate " + out("folded.mlir") + " --data " +
                                           calibrationData + " -o " + out("profile.json") +
                                           "\n"
                                     : std::string()) +
                         (equalizes ? "dsc-opt " + out("folded.mlir") +
                                          " --dsc-equalize-depthwise=profile=" +
                                          (calibrates ? out("profile.json") : givenProfile) +
                                          " -o " + out("folded.mlir") + "\n"
                                    : std::string()) +
                         (calibrates && equalizes
                              ? "dsc-calibrate " + out("folded.mlir") + " --data " +
                                    calibrationData + " -o " + out("profile.json") + "\n"
                              : std::string()) +
                         "dsc-opt " + out("folded.mlir") + " --dsc-quantize=\"" +
                         quantizeOptions +
                         (calibrates ? " profile=" + out("profile.json") : std::string()) +
                         "\" --dsc-fuse -o " + out("model.mlir") + "\n")
           << "dsc-translate --export-onnx " << out("model.mlir") << " -o "
           << out("model.onnx") << "\n"
           << "dsc-opt " << out("model.mlir") << " --dsc-lower-to-llvm=\"" << lowerOptions
           << "\" -o " << out("model.ll.mlir") << "\n"
           << "dsc-translate --emit-object " << out("model.ll.mlir") << " --name " << name
           << " -o " << out("model.o") << " --header " << out("model.h") << "\n"
           << "dsc-translate --emit-executable " << out("model.ll.mlir") << " --name "
           << name << " -o " << out("model") << "\n";
    if (!fidelityData.empty())
      outs() << "dsc-fidelity --reference "
             << (foldDistillation.getNumOccurrences() ? out("reference.onnx") : modelPath.getValue())
             << " --model " << out("model")
             << " --data " << fidelityData << " --json " << out("fidelity.json") << "\n";
  }

  dsc::registerPasses();
  mlir::DialectRegistry registry;
  dsc::registerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadDialect<dsc::DSCDialect>();
  std::string currentStep = "import";
  dsc::installToolDiagnosticHandler(context, "dsc-compile",
                                    [&] { return currentStep; });

  const int steps = fidelityData.empty() ? 4 : 5;
  mlir::OwningOpRef<mlir::ModuleOp> floatModel;
  std::optional<json::Array> perLayer;
  std::optional<json::Object> autoSkip;
  // 1. Import.
  progress(1, steps, "import " + modelPath);
  dsc::ONNXImportOptions importOptions;
  for (const auto &text : inputShapes)
    if (std::string error = dsc::parseInputShapeOption(text, importOptions); !error.empty())
      fail("import", error);
  for (const auto &text : dimBounds)
    if (std::string error = dsc::parseDimBoundOption(text, importOptions); !error.empty())
      fail("import", error);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      dsc::importONNXModel(modelPath, &context, importOptions);
  if (!module)
    return 1;
  json::Object steps_json;
  steps_json["import"] = dsc::computeModelStats(*module);

  // Distillation folding: keep the student (or the named outputs).
  if (foldDistillation.getNumOccurrences()) {
    currentStep = "fold-distillation";
    progress(1, steps, "fold distillation (strip teacher and loss heads)");
    mlir::PassManager pm(&context);
    dsc::FoldDistillationOptions options;
    SmallVector<StringRef> names;
    StringRef(foldDistillation).split(names, ',', -1, false);
    std::vector<std::string> outputNames(names.begin(), names.end());
    options.outputs = outputNames;
    pm.addPass(dsc::createFoldDistillation(options));
    if (mlir::failed(pm.run(*module)))
      return 1;
    steps_json["fold-distillation"] = dsc::computeModelStats(*module);
    // The fidelity reference: the float student as ONNX (the original graph
    // wants the training-only inputs, such as labels, that folding removed).
    if (!fidelityData.empty()) {
      std::string bytes;
      if (mlir::failed(dsc::exportONNXModel(*module, bytes)))
        return 1;
      if (!writeFile(out("reference.onnx"), bytes))
        fail("output", "cannot write reference.onnx");
      fidelityReference = out("reference.onnx");
    }
  }

  // Per-layer pruning sensitivity, when asked for, on the model as the
  // pruning pass sees it.
  std::optional<json::Value> sensitivity;
  if (!sensitivityPath.empty()) {
    currentStep = "prune";
    progress(1, steps, "pruning sensitivity on " + sensitivityData + " -> " + sensitivityPath);
    runToolOnModule(*module, binDir, "prune", "dsc-prune-sensitivity",
                    {"--data", sensitivityData, "--options", rankingOptions, "-o",
                     sensitivityPath});
    auto buffer = MemoryBuffer::getFile(sensitivityPath);
    auto parsed = buffer ? json::parse((*buffer)->getBuffer())
                         : Expected<json::Value>(createStringError("unreadable"));
    if (!parsed)
      fail("prune", "cannot read " + sensitivityPath + ": " + toString(parsed.takeError()));
    sensitivity = std::move(*parsed);
  }

  // Channel pruning, with the pass's options verbatim.
  if (!pruneOptions.empty()) {
    currentStep = "prune";
    progress(1, steps, "prune channels (" + pruneOptions + ")");
    if (mlir::failed(runPassWithOptions(*module, "prune", "dsc-prune-channels", pruneOptions,
                                        pruneOptions)))
      return 1;
    steps_json["prune"] = dsc::computeModelStats(*module);
  }

  // 2. Fold.
  currentStep = "fold";
  progress(2, steps, "fold (BatchNormalization into conv/gemm, constants)");
  {
    mlir::PassManager pm(&context);
    dsc::buildFoldPipeline(pm);
    if (mlir::failed(pm.run(*module)))
      return 1;
  }
  json::Object folded = dsc::computeModelStats(*module);
  steps_json["fold"] = std::move(folded);

  // Quantize, after calibrating the folded model when no profile is given.
  if (!quantize.empty()) {
    currentStep = "quantize";
    std::string options = quantizeOptions;
    if (calibrates) {
      progress(2, steps, "calibrate on " + calibrationData);
      runToolOnModule(*module, binDir, "quantize", "dsc-calibrate",
                      {"--data", calibrationData, "-o", out("profile.json")});
      options += " profile=" + out("profile.json");
    }
    // Even out the channel ranges before depthwise convs, then measure the
    // equalized tensors (a given profile already holds them).
    if (equalizes) {
      std::string profileForEqualize = calibrates ? out("profile.json") : givenProfile;
      progress(2, steps, "equalize depthwise inputs (profile " + profileForEqualize + ")");
      std::string equalizeOptions = "profile=" + profileForEqualize;
      auto countOps = [&] {
        int64_t n = 0;
        module->walk([&](mlir::Operation *) { ++n; });
        return n;
      };
      int64_t before = countOps();
      if (mlir::failed(runPassWithOptions(*module, "quantize", "dsc-equalize-depthwise",
                                          equalizeOptions, equalizeOptions)))
        return 1;
      // No depthwise conv changed: the first profile stands.
      if (calibrates && countOps() != before) {
        progress(2, steps, "calibrate the equalized model on " + calibrationData);
        runToolOnModule(*module, binDir, "quantize", "dsc-calibrate",
                        {"--data", calibrationData, "-o", out("profile.json")});
      }
    }
    // auto-skip=T: the driver chooses the skip list (the pass only takes
    // one), on the calibration data.
    {
      SmallVector<StringRef> tokens;
      StringRef(options).split(tokens, ' ', -1, false);
      std::optional<double> target;
      std::string kept;
      SmallVector<std::string> userSkips;
      for (StringRef token : tokens) {
        if (token.consume_front("auto-skip=")) {
          double value;
          if (token.getAsDouble(value) || !(value > 0 && value <= 1))
            fail("quantize", "auto-skip wants a cosine similarity target in (0, 1], "
                             "e.g. auto-skip=0.99");
          target = value;
        } else if (token.consume_front("skip=")) {
          SmallVector<StringRef> names;
          token.split(names, ',', -1, false);
          for (StringRef name : names)
            userSkips.push_back(name.str());
        } else {
          kept += (kept.empty() ? "" : " ") + token.str();
        }
      }
      if (target) {
        if (calibrationData.empty())
          fail("quantize", "auto-skip measures on the calibration data: give "
                           "--calibration-data DIR");
        progress(2, steps, "auto-skip: layers kept in float for output cosine >= " +
                               formatv("{0:f5}", *target).str());
        std::string error;
        std::vector<std::string> folders = dsc::listSampleFolders(calibrationData, error);
        if (!error.empty())
          fail("quantize", error);
        if (folders.size() > 16)
          folders.resize(16);
        std::string base = kept;
        if (!userSkips.empty())
          base += " skip=" + join(userSkips, ",");
        json::Array log;
        std::vector<std::string> chosen =
            chooseSkips(*module, base, *target, folders, runtimeDir, log);
        userSkips.append(chosen.begin(), chosen.end());
        autoSkip = json::Object{{"target", *target},
                                {"samples", (int64_t)folders.size()},
                                {"kept_float", std::move(log)}};
        options = kept;
        if (!userSkips.empty())
          options += " skip=" + join(userSkips, ",");
      }
    }
    progress(2, steps, "quantize (" + options + ")");
    // The float model, kept for the per-layer comparison below.
    if (!fidelityData.empty())
      floatModel = mlir::OwningOpRef<mlir::ModuleOp>(module->clone());
    if (mlir::failed(
            runPassWithOptions(*module, "quantize", "dsc-quantize", options, quantize)))
      return 1;
    steps_json["quantize"] = dsc::computeModelStats(*module);
    // Where the quantized model departs from the float one, tensor by
    // tensor, on the fidelity data (both compiled for this machine with
    // every tensor an output).
    if (floatModel) {
      progress(2, steps, "per-layer fidelity of the quantized model on " + fidelityData);
      mlir::OwningOpRef<mlir::ModuleOp> quantized(module->clone());
      std::string error;
      auto reference = dsc::InstrumentedModel::build(*floatModel, runtimeDir, error);
      auto model = reference ? dsc::InstrumentedModel::build(*quantized, runtimeDir, error)
                             : nullptr;
      std::vector<std::string> folders;
      if (model)
        folders = dsc::listSampleFolders(fidelityData, error);
      std::vector<dsc::LayerComparison> comparisons;
      if (!model || !error.empty() ||
          !dsc::compareLayers(*reference, *model, folders, comparisons, error))
        fail("quantize", "per-layer fidelity: " + error);
      json::Array layers;
      for (const dsc::LayerComparison &c : comparisons)
        layers.push_back(json::Object{{"tensor", c.tensor},
                                      {"max_abs_error", c.maxAbsError},
                                      {"min_cosine", c.minCosine},
                                      {"relative_error", c.relativeError},
                                      {"non_finite", c.nonFinite}});
      perLayer = std::move(layers);
      // The five tensors furthest from float.
      std::vector<dsc::LayerComparison> worst = comparisons;
      llvm::sort(worst, [](const auto &a, const auto &b) {
        return a.relativeError > b.relativeError;
      });
      if (worst.size() > 5)
        worst.resize(5);
      for (const dsc::LayerComparison &c : worst)
        errs() << formatv("   {0,-40} relative error {1:e2}, cosine {2:f4}\n", c.tensor,
                          c.relativeError, c.minCosine);
    }
  }

  // Fuse: bias, activations and residual adds into the conv/matmul epilogue.
  currentStep = "fuse";
  {
    mlir::PassManager pm(&context);
    pm.addNestedPass<mlir::func::FuncOp>(dsc::createFuseOps());
    if (mlir::failed(pm.run(*module)))
      return 1;
  }
  json::Object fused = dsc::computeModelStats(*module);
  // The weights the object carries: after folding and quantization.
  int64_t weightBytes = fused.getInteger("weight_bytes").value_or(0);
  steps_json["fuse"] = std::move(fused);
  {
    std::string text;
    raw_string_ostream os(text);
    module->print(os);
    if (!writeFile(out("model.mlir"), text))
      fail("output", "cannot write model.mlir");
  }
  // model.onnx: model.mlir for any ONNX runtime (fused ops expand back into
  // their ONNX nodes, quantized convs into QDQ form).
  {
    currentStep = "export";
    std::string bytes;
    if (mlir::failed(dsc::exportONNXModel(*module, bytes)))
      return 1;
    if (!writeFile(out("model.onnx"), bytes))
      fail("output", "cannot write model.onnx");
  }

  // The inputs' names, for the latency run below.
  std::vector<std::string> inputNames;
  if (auto mainFunc = module->lookupSymbol<mlir::func::FuncOp>("main"))
    for (unsigned i = 0; i < mainFunc.getNumArguments(); ++i)
      if (auto attr = mainFunc.getArgAttrOfType<mlir::StringAttr>(i, "dsc.name"))
        inputNames.push_back(attr.str());

  // 3. Lower.
  currentStep = "lower";
  progress(3, steps, "lower for " + target);
  {
    mlir::PassManager pm(&context);
    dsc::LowerToLLVMOptions options;
    options.target = target.getValue();
    options.cpu = cpu.getValue();
    options.intermediates = intermediates.getValue();
    dsc::buildLowerToLLVMPipeline(pm, options);
    if (mlir::failed(pm.run(*module)))
      return 1;
  }

  // 4. Emit: object + header, the runtime, the executable.
  currentStep = "emit";
  progress(4, steps, "emit model.o, model.h and the executable");
  dsc::NativeEmitOptions emitOptions;
  emitOptions.prefix = name;
  std::string object, header;
  if (mlir::failed(dsc::emitNativeObject(*module, emitOptions, object, header)))
    return 1;
  if (!writeFile(out("model.o"), object) || !writeFile(out("model.h"), header))
    fail("output", "cannot write model.o / model.h");
  SmallString<256> runtimeLib(runtimeDir);
  sys::path::append(runtimeLib, target, "libdsc_runtime.a");
  if (sys::fs::copy_file(runtimeLib, out("libdsc_runtime.a")))
    fail("emit", "the runtime for " + target + " is missing: " + runtimeLib);
  // The executable: model.o and a main() that runs the harness on it.
  std::string mainObject;
  if (mlir::failed(dsc::emitHarnessMainObject(*module, name, mainObject)))
    return 1;
  std::string mainObjectPath = out("model.main.o");
  if (!writeFile(mainObjectPath, mainObject))
    fail("output", "cannot write the executable's main object");
  FileRemover removeMainObject(mainObjectPath);
  if (mlir::failed(dsc::linkNative(*module, std::vector<std::string>{out("model.o"),
                                                                      mainObjectPath},
                                   out("model"), runtimeDir, false)))
    return 1;

  int64_t arena = 0;
  if (auto attr = (*module)->getAttrOfType<mlir::IntegerAttr>("dsc.arena_size"))
    arena = attr.getInt();
  json::Object sizes{{"weights_bytes", weightBytes},
                     {"object_bytes", (int64_t)object.size()},
                     {"arena_bytes", arena},
                     {"total_bytes", (int64_t)object.size() + arena}};
  json::Object report{{"model", modelPath},
                      {"target", target},
                      {"cpu", cpu.empty() ? std::string("default") : std::string(cpu)},
                      {"sizes", std::move(sizes)},
                      {"steps", std::move(steps_json)}};

  if (sensitivity)
    report["prune_sensitivity"] = std::move(*sensitivity);
  if (perLayer)
    report["per_layer_fidelity"] = std::move(*perLayer);
  // Host latency: when the code runs here, on the first sample of the data.
  if (std::optional<json::Object> latency =
          measureLatency(out("model"), inputNames, fidelityData.empty() ? calibrationData
                                                                         : fidelityData))
    report["latency"] = std::move(*latency);
  if (autoSkip)
    report["auto_skip"] = std::move(*autoSkip);

  // 5. Fidelity against ONNX Runtime on the original model.
  if (!fidelityData.empty()) {
    currentStep = "fidelity";
    progress(5, steps, "fidelity against ONNX Runtime on " + fidelityData);
    SmallString<256> tool(binDir);
    sys::path::append(tool, "dsc-fidelity");
    std::string jsonPath = out("fidelity.json");
    std::vector<std::string> owned = {std::string(tool), "--reference", fidelityReference,
                                      "--model", out("model"), "--data",
                                      fidelityData, "--json", jsonPath};
    SmallVector<StringRef> refs(owned.begin(), owned.end());
    if (sys::ExecuteAndWait(tool, refs) != 0)
      fail("fidelity", "dsc-fidelity failed");
    if (auto buffer = MemoryBuffer::getFile(jsonPath))
      if (auto parsed = json::parse((*buffer)->getBuffer()))
        report["fidelity"] = std::move(*parsed);
  }

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report["compile_seconds"] = seconds;
  if (!writeFile(out("report.svg"), dsc::renderReportSVG(report)))
    fail("output", "cannot write report.svg");
  dsc::printReportTable(report, errs());
  std::string text;
  raw_string_ostream os(text);
  os << formatv("{0:2}", json::Value(std::move(report))) << "\n";
  if (!writeFile(out("report.json"), text))
    fail("output", "cannot write report.json");
  errs() << formatv("dsc-compile: wrote {0}/ (model.o {1} bytes, weights {2} bytes, arena "
                    "{3} bytes) in {4:f1} s\n",
                    outDir, object.size(), weightBytes, arena, seconds);
  return 0;
}
