//===- DSCDialect.h - The dsc dialect ---------------------------*- C++ -*-===//
#ifndef DSC_DIALECT_DSC_IR_DSCDIALECT_H
#define DSC_DIALECT_DSC_IR_DSCDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/QuantOps.h"
#include "mlir/IR/Dialect.h"

#include "dsc/Dialect/DSC/IR/DSCDialect.h.inc"

#endif // DSC_DIALECT_DSC_IR_DSCDIALECT_H
