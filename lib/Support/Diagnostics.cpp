//===- Diagnostics.cpp - How dsc's tools print diagnostics -----------------===//

#include "dsc/Support/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

void dsc::installToolDiagnosticHandler(MLIRContext &context, llvm::StringRef tool,
                                       std::function<std::string()> step) {
  context.getDiagEngine().registerHandler(
      [tool = tool.str(), step = std::move(step)](Diagnostic &diag) {
        llvm::raw_ostream &os = llvm::errs();
        os << tool << ": "
           << (diag.getSeverity() == DiagnosticSeverity::Error     ? "error: "
               : diag.getSeverity() == DiagnosticSeverity::Warning ? "warning: "
                                                                   : "note: ");
        if (std::string name = step ? step() : ""; !name.empty())
          os << name << ": ";
        std::string message = diag.str();
        llvm::StringRef text(message);
        if (auto name = dyn_cast<NameLoc>(diag.getLocation()))
          if (text.starts_with("'") || text.starts_with("the lowering"))
            os << "node '" << name.getName().getValue() << "': ";
        os << message << "\n";
        return success();
      });
}
