//===- DSCDialect.td - The dsc dialect ---------------------*- tablegen -*-===//
//
// The dsc dialect: ONNX-level tensor operations with value semantics, the
// form every dsc compression pass reads and writes.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_DIALECT_TD
#define DSC_DIALECT_TD

include "mlir/IR/OpBase.td"

def DSC_Dialect : Dialect {
  let name = "dsc";
  let cppNamespace = "::dsc";
  let summary = "ONNX-level tensor operations for model compression";
  let description = [{
    The `dsc` dialect holds a neural network imported from ONNX. Every op has
    value semantics on ranked tensors; a dimension that ONNX leaves symbolic is
    a dynamic dimension (`?`). Each op keeps the name of the ONNX node it came
    from as its location, so diagnostics and reports name the user's layer.

    Operands follow ONNX's input order. Inputs that ONNX passes as tensors
    (reshape shapes, slice bounds, reduction axes, clip bounds) are operands
    here too, whatever the opset; the importer materialises attributes of
    older opsets and omitted optional inputs as `dsc.constant`s, so each op
    has one form for every opset. Weights are `dsc.constant` ops whose value is
    usually a `dense_resource` blob.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::quant::QuantizationDialect"];
  let hasConstantMaterializer = 1;
}

#endif // DSC_DIALECT_TD
