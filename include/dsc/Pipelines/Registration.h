//===- Registration.h - What dsc's tools register ---------------*- C++ -*-===//
#ifndef DSC_PIPELINES_REGISTRATION_H
#define DSC_PIPELINES_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace dsc {
/// The dsc dialect and every dialect/interface the lowering needs.
void registerDialects(mlir::DialectRegistry &registry);
/// dsc's passes and pipelines, plus the upstream passes users run by hand.
void registerPasses();
} // namespace dsc

#endif // DSC_PIPELINES_REGISTRATION_H
