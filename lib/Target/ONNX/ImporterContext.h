//===- ImporterContext.h - State shared by the ONNX importer ----*- C++ -*-===//
//
// The interface between the graph walker (ONNXImporter.cpp) and the table of
// op converters (OpConverters.cpp): a converter sees one ONNX node through a
// NodeContext and builds dsc ops for it.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_LIB_TARGET_ONNX_IMPORTERCONTEXT_H
#define DSC_LIB_TARGET_ONNX_IMPORTERCONTEXT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <optional>
#include <string>

namespace dsc {
namespace onnx_import {

class GraphImporter;

/// What a converter sees of one ONNX node.
class NodeContext {
public:
  NodeContext(GraphImporter &importer, const onnx::NodeProto &node,
              int64_t opset, mlir::OpBuilder &builder, mlir::Location loc)
      : importer(importer), node(node), opset(opset), builder(builder),
        loc(loc) {}

  GraphImporter &importer;
  const onnx::NodeProto &node;
  /// The opset version of the node's domain.
  int64_t opset;
  mlir::OpBuilder &builder;
  mlir::Location loc;

  /// Number of inputs, counting omitted optional ones (empty names).
  int numInputs() const { return node.input_size(); }
  /// True when input `i` is present (listed with a non-empty name).
  bool hasInput(int i) const {
    return i < node.input_size() && !node.input(i).empty();
  }
  /// The value of input `i`; null when omitted.
  mlir::Value input(int i) const;
  mlir::RankedTensorType inputType(int i) const {
    return llvm::cast<mlir::RankedTensorType>(input(i).getType());
  }
  /// The integer values of input `i` when it is a constant.
  std::optional<llvm::SmallVector<int64_t>> constantInts(int i) const;
  /// The float values of input `i` when it is a constant.
  std::optional<llvm::SmallVector<double>> constantFloats(int i) const;

  /// Number of outputs the node lists, and whether output `i` is used.
  int numOutputs() const { return node.output_size(); }
  bool outputUsed(int i) const;

  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t intAttr(llvm::StringRef name, int64_t fallback) const;
  float floatAttr(llvm::StringRef name, float fallback) const;
  std::string stringAttr(llvm::StringRef name, llvm::StringRef fallback) const;
  std::optional<llvm::SmallVector<int64_t>> intsAttr(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<float>> floatsAttr(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<std::string>>
  stringsAttr(llvm::StringRef name) const;
  /// The tensor of attribute `name` as a constant op (e.g. Constant's value).
  mlir::FailureOr<mlir::Value> tensorAttr(llvm::StringRef name);

  /// The shape inference result ONNX gave for output `i`, if any.
  mlir::RankedTensorType onnxOutputType(int i) const;

  /// Reports an error about this node: names the node, op type, domain and
  /// opset. Always returns failure.
  mlir::InFlightDiagnostic error();

  /// Constants materialised by converters (defaults of omitted inputs,
  /// attributes of older opsets that became operands).
  mlir::Value constI64(llvm::ArrayRef<int64_t> values, bool scalar = false);
  mlir::Value constF32(llvm::ArrayRef<float> values, bool scalar = false);
  mlir::Value constScalar(mlir::Type elementType, double value);
  mlir::Value constAttr(mlir::ElementsAttr value);

  /// Creates `dsc.<name>`; result types already inferred.
  mlir::Operation *create(llvm::StringRef name, mlir::ValueRange operands,
                          mlir::TypeRange resultTypes,
                          llvm::ArrayRef<mlir::NamedAttribute> attrs = {});

  /// Results of the node, bound to its outputs by the importer.
  llvm::SmallVector<mlir::Value> results;
};

/// Converts one node; on failure it has emitted a diagnostic.
using ConvertFn = std::function<mlir::LogicalResult(NodeContext &)>;

struct OpConverter {
  const char *opType;
  int minOpset;
  int maxOpset;
  const char *dscOps;
  const char *notes;
  ConvertFn convert;
};

/// The converters of the default (ai.onnx) domain, in table order.
llvm::ArrayRef<OpConverter> getOpConverters();

/// Finds the converter of `opType` at `opset`; null when there is none.
const OpConverter *findOpConverter(llvm::StringRef opType, int64_t opset);

/// Converts a nested ONNX graph (an If branch or a Loop body) into `region`.
/// `argumentTypes` are the types of its block arguments (graph inputs).
mlir::LogicalResult importSubgraph(NodeContext &ctx, const onnx::GraphProto &graph,
                                   mlir::Region &region,
                                   llvm::ArrayRef<mlir::Type> argumentTypes,
                                   llvm::SmallVectorImpl<mlir::Type> &yieldTypes);

/// Maps an ONNX element type to MLIR; null for unsupported types (string).
mlir::Type convertElementType(mlir::MLIRContext *context, int32_t dataType);

} // namespace onnx_import
} // namespace dsc

#endif // DSC_LIB_TARGET_ONNX_IMPORTERCONTEXT_H
