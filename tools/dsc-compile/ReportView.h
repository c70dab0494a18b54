//===- ReportView.h - report.json for people ---------------------*- C++ -*-===//
//
// dsc-compile's report.json, shown two ways: a compact table on the
// terminal and report.svg, a chart of size and cost per step, fidelity,
// and per-layer pruning sensitivity where it was measured.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_TOOLS_DSC_COMPILE_REPORTVIEW_H
#define DSC_TOOLS_DSC_COMPILE_REPORTVIEW_H

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace dsc {

/// The steps a report can hold, in pipeline order.
extern const char *const reportSteps[6];

/// Prints the report as a compact table (steps, sizes, fidelity, latency).
void printReportTable(const llvm::json::Object &report, llvm::raw_ostream &os);

/// The report as a standalone SVG document.
std::string renderReportSVG(const llvm::json::Object &report);

} // namespace dsc

#endif // DSC_TOOLS_DSC_COMPILE_REPORTVIEW_H
