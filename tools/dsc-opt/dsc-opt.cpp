//===- dsc-opt.cpp - dsc's optimizer driver --------------------------------===//
//
// MlirOptMain with the dsc dialect, the upstream dialects dsc's pipelines
// use, and dsc's passes and pipelines, plus one tool option:
//   --dsc-report=FILE.json   op counts, parameters, MACs/flops per layer and
//                            in total, weight bytes, of the module before the
//                            first pass and after the last (`-`: a table on
//                            stderr). The schema is in docs/report.md.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Analysis/ModelStats.h"
#include "dsc/Pipelines/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

static llvm::cl::opt<std::string> reportPath(
    "dsc-report",
    llvm::cl::desc("Write the model report (JSON) of the module before the "
                   "first pass and after the last; '-' prints a table"),
    llvm::cl::value_desc("file"));

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  mlir::DialectRegistry registry;
  dsc::registerDialects(registry);
  dsc::registerPasses();
  auto [inputFilename, outputFilename] =
      mlir::registerAndParseCLIOptions(argc, argv, "dsc optimizer driver\n", registry);
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  if (!reportPath.empty()) {
    // Keep the pipeline the command line asked for; add the report.
    mlir::MlirOptMainConfig base = config;
    config.setPassPipelineSetupFn([base](mlir::PassManager &pm) {
      if (mlir::failed(base.setupPassPipeline(pm)))
        return mlir::failure();
      pm.addInstrumentation(dsc::createReportInstrumentation(reportPath));
      return mlir::success();
    });
  }
  std::string errorMessage;
  auto input = mlir::openInputFile(inputFilename, &errorMessage);
  if (!input) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  auto output = mlir::openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  if (mlir::failed(mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  return 0;
}
