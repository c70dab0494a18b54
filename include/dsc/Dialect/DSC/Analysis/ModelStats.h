//===- ModelStats.h - Size and cost of a dsc model --------------*- C++ -*-===//
//
// What reports say about a model: op counts by type, parameters and weight
// bytes, and per layer the multiply-accumulates (MACs) of the heavy ops;
// flops = 2 * macs. Used by `dsc-opt --dsc-report` and dsc-compile.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_DIALECT_DSC_ANALYSIS_MODELSTATS_H
#define DSC_DIALECT_DSC_ANALYSIS_MODELSTATS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <string>

namespace dsc {

/// {"ops": {type: count}, "parameters", "weight_bytes", "macs", "flops",
///  "layers": [{"name", "op", "parameters", "macs"}]} of the dsc ops in
/// `module` (weights = float constants read by the ops).
llvm::json::Object computeModelStats(mlir::ModuleOp module);

/// A compact table of `before` and `after` stats.
void printStatsTable(const llvm::json::Object &before,
                     const llvm::json::Object &after, llvm::raw_ostream &os);

/// A pass instrumentation recording the stats of the module before the
/// first pass and after the last, written to `path` (JSON) when it is
/// destroyed; `-` prints a table to stderr instead.
std::unique_ptr<mlir::PassInstrumentation>
createReportInstrumentation(std::string path);

} // namespace dsc

#endif // DSC_DIALECT_DSC_ANALYSIS_MODELSTATS_H
