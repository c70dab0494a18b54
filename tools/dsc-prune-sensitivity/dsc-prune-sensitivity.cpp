//===- dsc-prune-sensitivity.cpp - How much pruning each layer costs ------===//
//
//   dsc-prune-sensitivity MODEL.mlir --data DIR -o sensitivity.json
//       [--ratios 0.25,0.5,0.75] [--options "criterion=l1 round-to=4 ..."]
//       [--max-samples N]
//
// For every dependency group --dsc-prune-channels could prune, and every
// ratio, prunes that group alone and measures on the data folder how far
// the model's outputs move from the unpruned model's: the worst per-sample
// cosine similarity, the relative error ||y' - y|| / ||y||, the share of
// rows whose arg-max (first output) is unchanged, and the accuracy when the
// samples carry label.npy. A user reads it to choose `per-layer=` ratios.
//
// How, with one compile: --dsc-prune-channels="mask-ratios=..." (with the
// user's criterion and options) adds a run-time channel mask per layer and
// records which channels each ratio removes; the masked model is compiled
// once for this machine and run in-process, with a group's masks zeroed
// at the channels of one ratio at a time (see the pass's description for
// how a zero in the mask equals pruning the channel).
//
//===----------------------------------------------------------------------===//

#include "InstrumentedModel.h"
#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "dsc/runtime.h"
#include "dsc/tensor_io.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace llvm;

static cl::OptionCategory category("dsc-prune-sensitivity options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"), cl::cat(category));
static cl::opt<std::string> dataDir("data", cl::Required,
                                    cl::desc("Data folder (one subfolder per sample)"),
                                    cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::Required, cl::desc("Sensitivity file to write"),
                                       cl::value_desc("sensitivity.json"), cl::cat(category));
static cl::opt<std::string> ratiosOption("ratios", cl::init("0.25,0.5,0.75"),
                                         cl::desc("Ratios to try on each layer"),
                                         cl::cat(category));
static cl::opt<std::string>
    pruneOptions("options", cl::init(""),
                 cl::desc("--dsc-prune-channels options that choose the channels "
                          "(criterion, min-channels, round-to)"),
                 cl::cat(category));
static cl::opt<int> maxSamples("max-samples", cl::init(0),
                               cl::desc("Use at most this many samples (0: all)"),
                               cl::cat(category));

namespace {

[[noreturn]] void fail(const Twine &message) {
  errs() << "dsc-prune-sensitivity: error: " << message << "\n";
  exit(1);
}

/// One dependency group the pass can prune: its masks' input indices and
/// the channels each ratio removes.
struct Group {
  std::string layers;
  int64_t channels = 0;
  std::vector<size_t> maskInputs;
  std::vector<int64_t> blocks; // per mask: indices per channel
  std::vector<std::vector<int64_t>> removed; // per ratio
};

/// How far a run's outputs are from the reference run's, over the samples.
struct Drift {
  double worstCosine = 1, errorSquares = 0, referenceSquares = 0;
  int64_t rows = 0, agreeing = 0, labelled = 0, correct = 0;
};

/// The arg-max of each row of `values` (rows of the last dim).
std::vector<int64_t> rowArgMax(ArrayRef<float> values, int64_t rowLength) {
  std::vector<int64_t> result;
  if (rowLength <= 0)
    return result;
  for (size_t start = 0; start + rowLength <= values.size(); start += rowLength) {
    auto row = values.slice(start, rowLength);
    result.push_back(std::max_element(row.begin(), row.end()) - row.begin());
  }
  return result;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv, "dsc-prune-sensitivity: output drift when each layer alone is pruned\n");

  std::vector<double> ratios;
  SmallVector<StringRef> ratioTexts;
  StringRef(ratiosOption).split(ratioTexts, ',', -1, false);
  for (StringRef text : ratioTexts) {
    double r;
    if (text.trim().getAsDouble(r) || r <= 0 || r >= 1)
      fail("--ratios wants comma-separated fractions in (0, 1), got '" + text + "'");
    ratios.push_back(r);
  }
  if (ratios.empty())
    fail("--ratios is empty");
  for (StringRef forbidden : {"mask-ratios", "ratio=", "per-layer", "threshold", "lossless-only"})
    if (StringRef(pruneOptions).contains(forbidden))
      fail("--options chooses how channels are ranked (criterion, min-channels, "
           "round-to); '" + forbidden + "' is set by this tool or has no meaning here");

  std::string runtimeDir =
      dsc::runtimeDirOf(sys::fs::getMainExecutable(argv[0], (void *)&main));
  auto contextOwner = dsc::makeToolContext("dsc-prune-sensitivity");
  mlir::MLIRContext &context = *contextOwner;
  SourceMgr sourceMgr;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(modelPath, sourceMgr, &context);
  if (!module)
    return 1;

  // The masked model.
  std::string ratioList;
  for (double r : ratios)
    ratioList += (ratioList.empty() ? "" : ",") + formatv("{0}", r).str();
  {
    mlir::PassManager pm(&context);
    std::string errors;
    raw_string_ostream errorStream(errors);
    std::string pipeline = "func.func(dsc-prune-channels{" + pruneOptions + " mask-ratios=" +
                           ratioList + "})";
    if (mlir::failed(mlir::parsePassPipeline(pipeline, pm, errorStream)))
      fail("bad --options '" + pruneOptions + "': " + errors);
    if (mlir::failed(pm.run(*module)))
      return 1;
  }
  auto mainFunc = module->lookupSymbol<mlir::func::FuncOp>("main");
  if (!mainFunc)
    fail("the module has no func.func @main");
  json::Array skipped;
  if (auto attr = mainFunc->getAttrOfType<mlir::ArrayAttr>("dsc.prune_skipped"))
    for (auto entry : attr.getAsRange<mlir::DictionaryAttr>())
      skipped.push_back(json::Object{
          {"layers", entry.getAs<mlir::StringAttr>("layers").getValue()},
          {"reason", entry.getAs<mlir::StringAttr>("reason").getValue()}});
  auto masksAttr = mainFunc->getAttrOfType<mlir::ArrayAttr>("dsc.prune_masks");
  std::map<std::string, size_t> argumentIndex;
  for (unsigned i = 0; i < mainFunc.getNumArguments(); ++i)
    if (auto name = mainFunc.getArgAttrOfType<mlir::StringAttr>(i, "dsc.name"))
      argumentIndex[name.str()] = i;
  std::vector<Group> groups;
  for (auto entry : masksAttr.getAsRange<mlir::DictionaryAttr>()) {
    Group group;
    group.layers = entry.getAs<mlir::StringAttr>("layers").str();
    group.channels = entry.getAs<mlir::IntegerAttr>("channels").getInt();
    for (auto name : entry.getAs<mlir::ArrayAttr>("arguments").getAsRange<mlir::StringAttr>())
      group.maskInputs.push_back(argumentIndex.at(name.str()));
    auto blocks = entry.getAs<mlir::DenseI64ArrayAttr>("blocks").asArrayRef();
    group.blocks.assign(blocks.begin(), blocks.end());
    for (auto removed : entry.getAs<mlir::ArrayAttr>("removed")
                            .getAsRange<mlir::DenseI64ArrayAttr>())
      group.removed.emplace_back(removed.asArrayRef().begin(), removed.asArrayRef().end());
    groups.push_back(std::move(group));
  }
  if (groups.empty())
    fail("no layer of this model can be pruned (" + Twine(skipped.size()) +
         " dependency group(s) pinned; see dsc-opt --dsc-prune-channels)");

  std::string error;
  auto model = dsc::InstrumentedModel::build(*module, runtimeDir, error, /*observe=*/false);
  if (!model)
    fail(error);
  const dsc_model &descriptor = model->descriptor();
  std::vector<std::string> folders = dsc::listSampleFolders(dataDir, error);
  if (!error.empty())
    fail(error);
  if (maxSamples > 0 && folders.size() > (size_t)maxSamples)
    folders.resize(maxSamples);

  // Inputs: each sample's, then the masks (all ones: nothing pruned).
  std::vector<std::vector<dsc_tensor>> samples(folders.size());
  std::vector<std::optional<std::vector<int64_t>>> labels(folders.size());
  for (size_t s = 0; s < folders.size(); ++s) {
    if (!model->readSample(folders[s], samples[s], error))
      fail(error);
    SmallString<256> labelPath(folders[s]);
    sys::path::append(labelPath, "label.npy");
    if (!sys::fs::exists(labelPath))
      continue;
    dsc_tensor label;
    char err[256];
    if (dsc_tensor_read(labelPath.c_str(), &label, nullptr, 0, err, sizeof err) != 0)
      fail(Twine(labelPath) + ": " + err);
    std::vector<int64_t> values;
    for (uint64_t i = 0; i < label.num_elements; ++i) {
      if (label.dtype == DSC_INT64)
        values.push_back(((const int64_t *)label.data)[i]);
      else if (label.dtype == DSC_INT32)
        values.push_back(((const int32_t *)label.data)[i]);
      else
        fail(Twine(labelPath) + ": labels must be int64 or int32");
    }
    labels[s] = std::move(values);
    dsc_tensor_free(&label);
  }
  std::vector<std::vector<float>> masks;
  for (size_t i = model->numSampleInputs(); i < (size_t)descriptor.num_inputs; ++i) {
    uint64_t count = 0;
    dsc_tensor_info_size(&descriptor.inputs[i], &count, nullptr);
    masks.emplace_back(count, 1.0f);
  }
  auto maskOf = [&](size_t input) -> std::vector<float> & {
    return masks[input - model->numSampleInputs()];
  };
  std::vector<size_t> floatOutputs;
  for (int32_t i = 0; i < descriptor.num_outputs; ++i)
    if (descriptor.outputs[i].dtype == DSC_FLOAT)
      floatOutputs.push_back(i);
  if (floatOutputs.empty())
    fail("the model has no float output to compare");
  const dsc_tensor_info &first = descriptor.outputs[floatOutputs.front()];
  int64_t rowLength = first.rank ? first.shape[first.rank - 1] : 1;

  auto runAll = [&](size_t s) {
    std::vector<dsc_tensor> inputs = samples[s];
    for (auto &mask : masks) {
      dsc_tensor t{};
      t.data = mask.data();
      inputs.push_back(t);
    }
    if (!model->run(inputs, error))
      fail("sample '" + folders[s] + "': " + error);
  };

  // The unpruned model's outputs, kept for the comparisons.
  std::vector<std::vector<std::vector<float>>> reference(folders.size());
  Drift baseline;
  for (size_t s = 0; s < folders.size(); ++s) {
    runAll(s);
    for (size_t o : floatOutputs) {
      ArrayRef<float> out = model->output(o);
      reference[s].emplace_back(out.begin(), out.end());
    }
    if (labels[s]) {
      auto predicted = rowArgMax(reference[s].front(), rowLength);
      for (size_t r = 0; r < predicted.size() && r < labels[s]->size(); ++r) {
        ++baseline.labelled;
        baseline.correct += predicted[r] == (*labels[s])[r];
      }
    }
  }

  auto measure = [&]() {
    Drift drift;
    for (size_t s = 0; s < folders.size(); ++s) {
      runAll(s);
      for (auto [k, o] : llvm::enumerate(floatOutputs)) {
        ArrayRef<float> a = reference[s][k], b = model->output(o);
        double dot = 0, na = 0, nb = 0;
        for (size_t j = 0; j < a.size(); ++j) {
          double d = (double)b[j] - a[j];
          drift.errorSquares += d * d;
          dot += (double)a[j] * b[j];
          na += (double)a[j] * a[j];
          nb += (double)b[j] * b[j];
        }
        drift.referenceSquares += na;
        drift.worstCosine = std::min(
            drift.worstCosine, na == 0 && nb == 0 ? 1.0 : dot / std::sqrt(na * nb));
      }
      auto before = rowArgMax(reference[s].front(), rowLength);
      auto after = rowArgMax(model->output(floatOutputs.front()), rowLength);
      for (size_t r = 0; r < before.size(); ++r) {
        ++drift.rows;
        drift.agreeing += before[r] == after[r];
        if (labels[s] && r < labels[s]->size()) {
          ++drift.labelled;
          drift.correct += after[r] == (*labels[s])[r];
        }
      }
    }
    return drift;
  };

  json::Array groupResults;
  bool terminal = sys::Process::StandardErrIsDisplayed();
  size_t total = groups.size() * ratios.size(), done = 0;
  outs() << formatv("{0,-44} {1,8} {2,6} {3,9} {4,9} {5,8}{6}\n", "layers", "channels",
                    "ratio", "cosine", "rel.err", "top-1", baseline.labelled ? "  accuracy" : "");
  for (const Group &group : groups) {
    json::Array results;
    for (auto [r, ratio] : llvm::enumerate(ratios)) {
      for (auto [input, block] : llvm::zip(group.maskInputs, group.blocks))
        for (int64_t c : group.removed[r])
          std::fill_n(maskOf(input).begin() + c * block, block, 0.0f);
      Drift drift = measure();
      for (size_t input : group.maskInputs)
        std::fill(maskOf(input).begin(), maskOf(input).end(), 1.0f);
      double relative = drift.referenceSquares > 0
                            ? std::sqrt(drift.errorSquares / drift.referenceSquares)
                            : std::sqrt(drift.errorSquares);
      double agreement = drift.rows ? (double)drift.agreeing / drift.rows : 1.0;
      json::Object result{{"ratio", ratio},
                          {"channels_removed", (int64_t)group.removed[r].size()},
                          {"output_cosine", drift.worstCosine},
                          {"relative_error", relative},
                          {"top1_agreement", agreement}};
      std::string accuracyText;
      if (drift.labelled) {
        double accuracy = (double)drift.correct / drift.labelled;
        result["accuracy"] = accuracy;
        accuracyText = formatv("  {0,8:P2}", accuracy).str();
      }
      results.push_back(std::move(result));
      if (terminal)
        errs() << "\r" << ++done << "/" << total << " " << (done == total ? "\n" : "");
      std::string shownLayers = group.layers.size() > 44
                                    ? group.layers.substr(0, 41) + "..."
                                    : group.layers;
      outs() << formatv("{0,-44} {1,8} {2,6:f2} {3,9:f5} {4,9:e2} {5,8:P1}{6}\n",
                        r == 0 ? shownLayers : "",
                        formatv("{0}->{1}", group.channels,
                                group.channels - (int64_t)group.removed[r].size())
                            .str(),
                        ratio, drift.worstCosine, relative, agreement, accuracyText);
    }
    groupResults.push_back(json::Object{{"layers", group.layers},
                                        {"channels", group.channels},
                                        {"results", std::move(results)}});
  }

  json::Object file{{"model", modelPath.getValue()},
                    {"data", dataDir.getValue()},
                    {"samples", (int64_t)folders.size()},
                    {"options", pruneOptions.getValue()},
                    {"ratios", json::Array(ratios)},
                    {"groups", std::move(groupResults)},
                    {"skipped", std::move(skipped)}};
  if (baseline.labelled)
    file["unpruned_accuracy"] = (double)baseline.correct / baseline.labelled;
  std::error_code ec;
  raw_fd_ostream os(outputPath, ec);
  if (ec)
    fail("cannot write " + outputPath + ": " + ec.message());
  os << formatv("{0:2}", json::Value(std::move(file))) << "\n";
  for (auto &inputs : samples)
    for (dsc_tensor &t : inputs)
      dsc_tensor_free(&t);
  outs().flush();
  errs() << "dsc-prune-sensitivity: " << groups.size() << " group(s) x " << ratios.size()
         << " ratio(s) over " << folders.size() << " samples -> " << outputPath << "\n";
  return 0;
}
