//===- Diagnostics.h - How dsc's tools print diagnostics --------*- C++ -*-===//
#ifndef DSC_SUPPORT_DIAGNOSTICS_H
#define DSC_SUPPORT_DIAGNOSTICS_H

#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <string>

namespace dsc {

/// Prints every diagnostic of `context` to stderr as
///   TOOL: error: [STEP: ][node 'NAME': ]MESSAGE
/// `step` (optional) names the current step. Messages that do not name what
/// they are about (verifier messages, "'dsc.conv' op ...", and lowering
/// refusals) get the ONNX node name from the op's location.
void installToolDiagnosticHandler(mlir::MLIRContext &context, llvm::StringRef tool,
                                  std::function<std::string()> step = {});

} // namespace dsc

#endif // DSC_SUPPORT_DIAGNOSTICS_H
