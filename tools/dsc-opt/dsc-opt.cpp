//===- dsc-opt.cpp - dsc's optimizer driver --------------------------------===//
//
// MlirOptMain with the dsc dialect, the upstream dialects dsc's pipelines
// use, and dsc's passes and pipelines.
//
//===----------------------------------------------------------------------===//

#include "dsc/Pipelines/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  dsc::registerDialects(registry);
  dsc::registerPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "dsc optimizer driver\n", registry));
}
