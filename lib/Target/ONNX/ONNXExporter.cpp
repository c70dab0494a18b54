//===- ONNXExporter.cpp - Write a dsc module as an ONNX model --------------===//
//
// See ONNXExporter.h. Values are named by their ONNX roles: graph inputs by
// @main's argument names, graph outputs by its result names (a returned
// value that cannot take the name, e.g. an input, goes through Identity),
// initializers by their resource keys, the rest `<node>_out<i>`; every
// name is unique.
//
//===----------------------------------------------------------------------===//

#include "dsc/Target/ONNX/ONNXExporter.h"

#include "ImporterContext.h"
#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Support/ElementTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace dsc;

namespace {

/// The ONNX op type of each dsc op: the first row of the importer's table
/// that maps to exactly that op (Add before Sum, Cast before CastLike,
/// Resize before Upsample).
const llvm::StringMap<std::string> &onnxOpTypes() {
  static const llvm::StringMap<std::string> table = [] {
    llvm::StringMap<std::string> map;
    for (const auto &row : onnx_import::getOpConverters())
      if (row.maxOpset >= 21)
        map.try_emplace(row.dscOps, row.opType);
    return map;
  }();
  return table;
}

/// dsc attribute names that differ from ONNX's.
StringRef onnxAttributeName(StringRef name) {
  if (name == "trans_a")
    return "transA";
  if (name == "trans_b")
    return "transB";
  return name;
}

struct Exporter {
  explicit Exporter(onnx::GraphProto &graph) : graph(graph) {}

  onnx::GraphProto &graph;
  DenseMap<Value, std::string> names;
  /// Results of ops that @main returns, with the output name they take.
  DenseMap<Value, std::string> outputNames;
  llvm::StringSet<> used;
  /// The graph's output names: only their own values take them.
  llvm::StringSet<> reserved;

  std::string unique(StringRef base) {
    std::string name = base.empty() ? "v" : base.str();
    for (int i = 1; used.contains(name) || reserved.contains(name); ++i)
      name = base.str() + "_" + std::to_string(i);
    used.insert(name);
    return name;
  }

  std::string nameOf(Value v) { return names.lookup(v); }

  /// The name a new result takes: its output name when @main returns it,
  /// else `<node>_out<i>`.
  std::string resultName(Value v, StringRef node, unsigned i) {
    auto it = outputNames.find(v);
    if (it != outputNames.end() && !used.contains(it->second)) {
      used.insert(it->second);
      return it->second;
    }
    return unique(node.str() + "_out" + std::to_string(i));
  }

  static LogicalResult fillType(onnx::TypeProto &proto, Type type, Operation *where) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    int32_t dataType = tensor ? onnxDataType(tensor.getElementType()) : 0;
    if (!dataType)
      return where->emitError() << "cannot export a value of type " << type
                                << " to ONNX",
             failure();
    auto *t = proto.mutable_tensor_type();
    t->set_elem_type(dataType);
    auto *shape = t->mutable_shape();
    for (auto [i, d] : llvm::enumerate(tensor.getShape())) {
      auto *dim = shape->add_dim();
      if (ShapedType::isDynamic(d))
        dim->set_dim_param("d" + std::to_string(i));
      else
        dim->set_dim_value(d);
    }
    return success();
  }

  /// TensorProto of a constant: raw little-endian data (bool one byte,
  /// 4-bit values two to a byte, low nibble first).
  static LogicalResult fillTensor(onnx::TensorProto &t, ElementsAttr attr, Operation *where) {
    auto type = cast<ShapedType>(attr.getType());
    Type element = type.getElementType();
    int32_t dataType = onnxDataType(element);
    if (!dataType)
      return where->emitError() << "cannot export a constant of " << element
                                << " elements to ONNX",
             failure();
    t.set_data_type(dataType);
    for (int64_t d : type.getShape())
      t.add_dims(d);
    int64_t count = type.getNumElements();
    std::string raw;
    unsigned width = element.getIntOrFloatBitWidth();
    if (width == 1 || width == 4) {
      auto dense = dyn_cast<DenseElementsAttr>(attr);
      if (!dense)
        return where->emitError() << "cannot export this " << width << "-bit constant",
               failure();
      if (width == 1) {
        for (bool v : dense.getValues<bool>())
          raw.push_back(v ? 1 : 0);
      } else {
        raw.assign((count + 1) / 2, 0);
        int64_t i = 0;
        for (APInt v : dense.getValues<APInt>()) {
          uint8_t nibble = v.getZExtValue() & 0xF;
          raw[i / 2] |= (char)(i % 2 ? nibble << 4 : nibble);
          ++i;
        }
      }
    } else if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
      ArrayRef<char> data = dense.getRawData();
      if (dense.isSplat())
        for (int64_t i = 0; i < count; ++i)
          raw.append(data.begin(), data.end());
      else
        raw.assign(data.begin(), data.end());
    } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
      AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob)
        return where->emitError() << "the constant's resource blob is missing", failure();
      raw.assign(blob->getData().begin(), blob->getData().end());
    } else {
      return where->emitError() << "cannot export this constant's storage", failure();
    }
    t.set_raw_data(raw);
    return success();
  }

  std::string addInitializer(ElementsAttr attr, StringRef hint, Operation *where,
                             bool &ok) {
    onnx::TensorProto *t = graph.add_initializer();
    t->set_name(unique(hint));
    ok = succeeded(fillTensor(*t, attr, where));
    return t->name();
  }

  /// A float32 initializer of `shape` holding `values`.
  std::string floatInitializer(ArrayRef<float> values, ArrayRef<int64_t> shape,
                               StringRef hint) {
    onnx::TensorProto *t = graph.add_initializer();
    t->set_name(unique(hint));
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : shape)
      t->add_dims(d);
    t->set_raw_data(std::string((const char *)values.data(), values.size() * sizeof(float)));
    return t->name();
  }

  std::string intInitializer(ArrayRef<int64_t> values, ArrayRef<int64_t> shape,
                             int32_t dataType, unsigned bytes, StringRef hint) {
    onnx::TensorProto *t = graph.add_initializer();
    t->set_name(unique(hint));
    t->set_data_type(dataType);
    for (int64_t d : shape)
      t->add_dims(d);
    std::string raw;
    for (int64_t v : values)
      for (unsigned b = 0; b < bytes; ++b)
        raw.push_back((char)((uint64_t)v >> (8 * b)));
    t->set_raw_data(raw);
    return t->name();
  }

  onnx::NodeProto *addNode(StringRef opType, ArrayRef<std::string> inputs,
                           ArrayRef<std::string> outputs, StringRef nodeName) {
    onnx::NodeProto *node = graph.add_node();
    node->set_op_type(opType.str());
    node->set_name(unique(nodeName));
    for (const std::string &in : inputs)
      node->add_input(in);
    for (const std::string &out : outputs)
      node->add_output(out);
    return node;
  }

  static void setInts(onnx::NodeProto *node, StringRef name, ArrayRef<int64_t> values) {
    auto *a = node->add_attribute();
    a->set_name(name.str());
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values)
      a->add_ints(v);
  }
  static void setInt(onnx::NodeProto *node, StringRef name, int64_t value) {
    auto *a = node->add_attribute();
    a->set_name(name.str());
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  static void setFloat(onnx::NodeProto *node, StringRef name, float value) {
    auto *a = node->add_attribute();
    a->set_name(name.str());
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(value);
  }

  /// One dsc attribute as an ONNX attribute.
  LogicalResult addAttribute(onnx::NodeProto *node, StringRef name, Attribute attr,
                             Operation *op) {
    auto *a = node->add_attribute();
    a->set_name(onnxAttributeName(name).str());
    if (auto i = dyn_cast<IntegerAttr>(attr)) {
      a->set_type(onnx::AttributeProto::INT);
      a->set_i(i.getType().isInteger(1) ? (int64_t)i.getValue().getBoolValue() : i.getInt());
    } else if (auto b = dyn_cast<BoolAttr>(attr)) {
      a->set_type(onnx::AttributeProto::INT);
      a->set_i(b.getValue());
    } else if (auto f = dyn_cast<FloatAttr>(attr)) {
      a->set_type(onnx::AttributeProto::FLOAT);
      a->set_f((float)f.getValueAsDouble());
    } else if (auto s = dyn_cast<StringAttr>(attr)) {
      a->set_type(onnx::AttributeProto::STRING);
      a->set_s(s.str());
    } else if (auto ints = dyn_cast<DenseI64ArrayAttr>(attr)) {
      a->set_type(onnx::AttributeProto::INTS);
      for (int64_t v : ints.asArrayRef())
        a->add_ints(v);
    } else if (auto floats = dyn_cast<DenseF32ArrayAttr>(attr)) {
      a->set_type(onnx::AttributeProto::FLOATS);
      for (float v : floats.asArrayRef())
        a->add_floats(v);
    } else if (auto array = dyn_cast<ArrayAttr>(attr)) {
      for (Attribute e : array) {
        if (auto i = dyn_cast<IntegerAttr>(e)) {
          a->set_type(onnx::AttributeProto::INTS);
          a->add_ints(i.getInt());
        } else if (auto f = dyn_cast<FloatAttr>(e)) {
          a->set_type(onnx::AttributeProto::FLOATS);
          a->add_floats((float)f.getValueAsDouble());
        } else if (auto s = dyn_cast<StringAttr>(e)) {
          a->set_type(onnx::AttributeProto::STRINGS);
          a->add_strings(s.str());
        } else {
          return op->emitError() << "cannot export attribute '" << name << "'", failure();
        }
      }
      if (array.empty())
        a->set_type(onnx::AttributeProto::INTS);
    } else if (auto elements = dyn_cast<ElementsAttr>(attr)) {
      a->set_type(onnx::AttributeProto::TENSOR);
      if (failed(fillTensor(*a->mutable_t(), elements, op)))
        return failure();
    } else {
      return op->emitError() << "cannot export attribute '" << name << "' to ONNX",
             failure();
    }
    return success();
  }

  /// The epilogue activation of a fused op applied to `in`; returns the
  /// name of its result (`out` when given).
  std::string activation(StringRef kind, float alpha, float beta, const std::string &in,
                         StringRef node, std::string out) {
    if (out.empty())
      out = unique(node.str() + "_act");
    if (kind == "relu")
      addNode("Relu", {in}, {out}, node.str() + "_relu");
    else if (kind == "clip")
      addNode("Clip", {in, floatInitializer({alpha}, {}, node.str() + "_min"),
                       floatInitializer({beta}, {}, node.str() + "_max")},
              {out}, node.str() + "_clip");
    else if (kind == "leaky_relu")
      setFloat(addNode("LeakyRelu", {in}, {out}, node.str() + "_leaky_relu"), "alpha", alpha);
    else if (kind == "hard_sigmoid") {
      auto *n = addNode("HardSigmoid", {in}, {out}, node.str() + "_hard_sigmoid");
      setFloat(n, "alpha", alpha);
      setFloat(n, "beta", beta);
    } else if (kind == "hard_swish")
      addNode("HardSwish", {in}, {out}, node.str() + "_hard_swish");
    else if (kind == "sigmoid")
      addNode("Sigmoid", {in}, {out}, node.str() + "_sigmoid");
    else if (kind == "tanh")
      addNode("Tanh", {in}, {out}, node.str() + "_tanh");
    else if (kind == "swish") {
      std::string gate = unique(node.str() + "_gate");
      addNode("Sigmoid", {in}, {gate}, node.str() + "_sigmoid");
      addNode("Mul", {in, gate}, {out}, node.str() + "_swish");
    } else
      addNode("Identity", {in}, {out}, node.str() + "_identity");
    return out;
  }

  /// The epilogue of a fused op after its accumulator `acc`:
  /// act(acc + residual) or act(acc) + residual, the bias already in acc.
  void epilogue(const FusedEpilogue &e, std::string acc, StringRef node, Value result) {
    std::string finalName = resultName(result, node, 0);
    bool hasActivation = e.activation != "none";
    bool affine = e.hasOutputAffine();
    std::string residual = e.residual ? nameOf(e.residual) : "";
    if (!residual.empty() && !e.residualAfterActivation) {
      std::string sum = hasActivation || affine ? unique(node.str() + "_sum") : finalName;
      addNode("Add", {acc, residual}, {sum}, node.str() + "_residual");
      acc = sum;
      residual.clear();
    }
    if (hasActivation)
      acc = activation(e.activation, e.alpha, e.beta, acc, node,
                       residual.empty() && !affine ? finalName : "");
    if (affine) {
      // act(..) * s + t
      std::string scaled = unique(node.str() + "_scaled");
      addNode("Mul", {acc, floatInitializer({e.outputScale}, {}, node.str() + "_output_scale")},
              {scaled}, node.str() + "_output_scale");
      acc = residual.empty() ? finalName : unique(node.str() + "_shifted");
      addNode("Add", {scaled, floatInitializer({e.outputShift}, {}, node.str() + "_output_shift")},
              {acc}, node.str() + "_output_shift");
    }
    if (!residual.empty())
      addNode("Add", {acc, residual}, {finalName}, node.str() + "_residual");
    else if (!hasActivation && acc != finalName)
      addNode("Identity", {acc}, {finalName}, node.str() + "_identity");
    names[result] = finalName;
  }

  void convAttributes(onnx::NodeProto *n, ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                      ArrayRef<int64_t> dilations, int64_t group) {
    setInts(n, "strides", strides);
    setInts(n, "pads", pads);
    setInts(n, "dilations", dilations);
    setInt(n, "group", group);
  }

  LogicalResult exportConvFused(ConvFusedOp conv) {
    std::string node = layerName(conv);
    FusedEpilogue e = FusedEpilogue::of(conv);
    SmallVector<std::string> inputs = {nameOf(conv.getInput()), nameOf(conv.getWeight())};
    if (e.bias)
      inputs.push_back(nameOf(e.bias));
    bool plain = !e.residual && e.activation == "none";
    std::string acc = plain ? resultName(conv.getResult(), node, 0) : unique(node + "_conv");
    convAttributes(addNode("Conv", inputs, {acc}, node), conv.getStrides(), conv.getPads(),
                   conv.getDilations(), conv.getGroup());
    if (plain) {
      names[conv.getResult()] = acc;
      return success();
    }
    epilogue(e, acc, node, conv.getResult());
    return success();
  }

  LogicalResult exportMatMulFused(MatMulFusedOp mm) {
    std::string node = layerName(mm);
    FusedEpilogue e = FusedEpilogue::of(mm);
    std::string b = nameOf(mm.getB());
    if (mm.getTransB()) {
      std::string transposed = unique(node + "_bt");
      setInts(addNode("Transpose", {b}, {transposed}, node + "_transpose"), "perm", {1, 0});
      b = transposed;
    }
    bool plain = !e.residual && e.activation == "none";
    std::string finalName = plain ? resultName(mm.getResult(), node, 0) : "";
    std::string acc = plain && !e.bias ? finalName : unique(node + "_matmul");
    addNode("MatMul", {nameOf(mm.getA()), b}, {acc}, node);
    if (e.bias) {
      std::string biased = plain ? finalName : unique(node + "_bias");
      addNode("Add", {acc, nameOf(e.bias)}, {biased}, node + "_bias");
      acc = biased;
    }
    if (plain) {
      names[mm.getResult()] = finalName;
      return success();
    }
    epilogue(e, acc, node, mm.getResult());
    return success();
  }

  /// A region as the subgraph `name` of `node`: its block arguments become
  /// the graph's inputs, named `argNames` (If branches have none), its ops
  /// the graph's nodes (outer values keep their names: ONNX subgraphs see
  /// the enclosing scope), and what its dsc.yield yields the graph's
  /// outputs, each through an Identity to a name of its own. Names stay
  /// unique across the model.
  LogicalResult exportSubgraph(onnx::NodeProto *node, StringRef name, Region &region,
                               Operation *op) {
    auto *attr = node->add_attribute();
    attr->set_name(name.str());
    attr->set_type(onnx::AttributeProto::GRAPH);
    onnx::GraphProto &subgraph = *attr->mutable_g();
    subgraph.set_name(unique(layerName(op) + "_" + name.str()));
    Exporter sub(subgraph);
    sub.names = names;
    sub.used = used;
    sub.reserved = reserved;
    Block &block = region.front();
    for (BlockArgument arg : block.getArguments()) {
      std::string argName = sub.unique(layerName(op) + "_" + name.str() + "_in" +
                                       std::to_string(arg.getArgNumber()));
      sub.names[arg] = argName;
      auto *info = subgraph.add_input();
      info->set_name(argName);
      if (failed(fillType(*info->mutable_type(), arg.getType(), op)))
        return failure();
    }
    for (Operation &inner : block.without_terminator())
      if (failed(sub.exportOp(&inner)))
        return failure();
    for (Value v : block.getTerminator()->getOperands()) {
      std::string out = sub.unique(layerName(op) + "_" + name.str() + "_out");
      sub.addNode("Identity", {sub.nameOf(v)}, {out}, out);
      auto *info = subgraph.add_output();
      info->set_name(out);
      if (failed(fillType(*info->mutable_type(), v.getType(), op)))
        return failure();
    }
    for (const auto &entry : sub.used)
      used.insert(entry.getKey());
    return success();
  }

  /// dsc.if: ONNX If with the two branches as subgraphs.
  LogicalResult exportIf(IfOp ifOp) {
    std::string node = layerName(ifOp);
    SmallVector<std::string> outputs;
    for (auto [i, result] : llvm::enumerate(ifOp.getResults()))
      outputs.push_back(resultName(result, node, i));
    onnx::NodeProto *n = addNode("If", {nameOf(ifOp.getCondition())}, outputs, node);
    if (failed(exportSubgraph(n, "then_branch", ifOp.getThenBranch(), ifOp)) ||
        failed(exportSubgraph(n, "else_branch", ifOp.getElseBranch(), ifOp)))
      return failure();
    for (auto [result, name] : llvm::zip(ifOp.getResults(), outputs))
      names[result] = name;
    return success();
  }

  /// dsc.loop: ONNX Loop, the body (iteration, condition, carried values ->
  /// condition, carried values, scan outputs) as its subgraph.
  LogicalResult exportLoop(LoopOp loop) {
    std::string node = layerName(loop);
    SmallVector<std::string> inputs, outputs;
    for (Value v : loop->getOperands())
      inputs.push_back(nameOf(v));
    for (auto [i, result] : llvm::enumerate(loop.getResults()))
      outputs.push_back(resultName(result, node, i));
    onnx::NodeProto *n = addNode("Loop", inputs, outputs, node);
    if (failed(exportSubgraph(n, "body", loop.getBody(), loop)))
      return failure();
    for (auto [result, name] : llvm::zip(loop.getResults(), outputs))
      names[result] = name;
    return success();
  }

  /// elementwise(inputs) { body }: the body's ops, in order, as ONNX nodes
  /// over the whole tensors (the body arguments take the inputs' names;
  /// ONNX broadcasts as the body's ops did), the yielded value the result.
  LogicalResult exportElementwise(ElementwiseOp fused) {
    Block &body = fused.getBody().front();
    for (auto [arg, input] : llvm::zip(body.getArguments(), fused.getInputs()))
      names[arg] = nameOf(input);
    for (Operation &op : body.without_terminator())
      if (failed(exportOp(&op)))
        return failure();
    Value yielded = body.getTerminator()->getOperand(0);
    std::string last = nameOf(yielded);
    auto it = outputNames.find(fused.getResult());
    if (it != outputNames.end() && !used.contains(it->second)) {
      // A graph output takes its own name.
      std::string out = resultName(fused.getResult(), layerName(fused), 0);
      addNode("Identity", {last}, {out}, layerName(fused) + "_output");
      last = out;
    }
    names[fused.getResult()] = last;
    return success();
  }

  /// attention(q, k, v, mask) in standard ops:
  ///   s = MatMul(q, Transpose(k)) * scale,
  ///   s = Where(mask, fill, s) (i1 mask) or s + mask (float mask),
  ///   y = MatMul(Softmax(s, axis -1), v)
  LogicalResult exportAttention(AttentionOp attention) {
    std::string node = layerName(attention);
    int64_t rank = attention.getQ().getType().getRank();
    SmallVector<int64_t> swapLast = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(swapLast[rank - 2], swapLast[rank - 1]);
    std::string keysT = unique(node + "_kt");
    setInts(addNode("Transpose", {nameOf(attention.getK())}, {keysT}, node + "_transpose"),
            "perm", swapLast);
    std::string scores = unique(node + "_scores");
    addNode("MatMul", {nameOf(attention.getQ()), keysT}, {scores}, node + "_qk");
    std::string scaled = unique(node + "_scaled");
    float scale = attention.getScale().convertToFloat();
    addNode("Mul", {scores, floatInitializer({scale}, {}, node + "_scale")}, {scaled},
            node + "_scale");
    if (Value mask = attention.getMask()) {
      std::string masked = unique(node + "_masked");
      if (cast<RankedTensorType>(mask.getType()).getElementType().isInteger(1)) {
        float fill = attention.getMaskFill().convertToFloat();
        addNode("Where",
                {nameOf(mask), floatInitializer({fill}, {}, node + "_fill"), scaled},
                {masked}, node + "_mask");
      } else {
        addNode("Add", {scaled, nameOf(mask)}, {masked}, node + "_mask");
      }
      scaled = masked;
    }
    std::string probabilities = unique(node + "_probabilities");
    setInt(addNode("Softmax", {scaled}, {probabilities}, node + "_softmax"), "axis", -1);
    std::string out = resultName(attention.getResult(), node, 0);
    addNode("MatMul", {probabilities, nameOf(attention.getV())}, {out}, node);
    names[attention.getResult()] = out;
    return success();
  }

  /// QDQ form of a quantized conv with constant scales:
  ///   y_q = QuantizeLinear(Conv(DQ(x_q), DQ(w_q, axis 0), DQ(bias, x_s * w_s)), y_s, y_zp)
  /// (ONNX Runtime fuses it into its QLinearConv kernel); QLinearConv when
  /// the scales are not constants.
  LogicalResult exportQLinearConv(QLinearConvOp conv) {
    std::string node = layerName(conv);
    ElementsAttr xScale, wScale;
    bool constantScales = matchPattern(conv.getXScale(), m_Constant(&xScale)) &&
                          matchPattern(conv.getWScale(), m_Constant(&wScale)) &&
                          xScale.getElementType().isF32() && wScale.getElementType().isF32() &&
                          isa<DenseElementsAttr>(xScale) && isa<DenseElementsAttr>(wScale);
    int64_t filters = conv.getW().getType().getDimSize(0);
    std::string out = resultName(conv.getResult(), node, 0);
    names[conv.getResult()] = out;
    if (!constantScales) {
      SmallVector<std::string> inputs;
      for (Value v : conv->getOperands())
        inputs.push_back(nameOf(v));
      convAttributes(addNode("QLinearConv", inputs, {out}, node), conv.getStrides(),
                     conv.getPads(), conv.getDilations(), conv.getGroup());
      return success();
    }
    std::string x = unique(node + "_x"), w = unique(node + "_w"), y = unique(node + "_y");
    addNode("DequantizeLinear",
            {nameOf(conv.getX()), nameOf(conv.getXScale()), nameOf(conv.getXZeroPoint())}, {x},
            node + "_dequantize_x");
    // Per-channel weights need a zero point of the scale's shape.
    std::string wZeroPoint = nameOf(conv.getWZeroPoint());
    auto wScaleType = cast<ShapedType>(wScale.getType());
    if (wScaleType.getNumElements() > 1 &&
        conv.getWZeroPoint().getType().getNumElements() == 1) {
      DenseElementsAttr zp;
      if (!matchPattern(conv.getWZeroPoint(), m_Constant(&zp)))
        return conv.emitError() << "cannot export a run-time weight zero point", failure();
      int64_t value = (*zp.getValues<APInt>().begin()).getSExtValue();
      wZeroPoint = intInitializer(SmallVector<int64_t>(filters, value), {filters},
                                  onnxDataType(zp.getElementType()), 1, node + "_w_zero_point");
    }
    auto *dqw = addNode("DequantizeLinear", {nameOf(conv.getW()), nameOf(conv.getWScale()),
                                             wZeroPoint},
                        {w}, node + "_dequantize_w");
    if (wScaleType.getNumElements() > 1)
      setInt(dqw, "axis", 0);
    SmallVector<std::string> convInputs = {x, w};
    if (conv.getBias()) {
      // bias_scale[f] = x_scale * w_scale[f], zero point 0.
      float xs = (*cast<DenseElementsAttr>(xScale).getValues<float>().begin());
      SmallVector<float> biasScale;
      auto ws = cast<DenseElementsAttr>(wScale);
      for (int64_t f = 0; f < filters; ++f)
        biasScale.push_back(xs * (ws.isSplat() ? ws.getSplatValue<float>()
                                               : ws.getValues<float>()[f]));
      std::string b = unique(node + "_b");
      auto *dqb = addNode("DequantizeLinear",
                          {nameOf(conv.getBias()),
                           floatInitializer(biasScale, {filters}, node + "_bias_scale"),
                           intInitializer(SmallVector<int64_t>(filters, 0), {filters},
                                          onnx::TensorProto::INT32, 4,
                                          node + "_bias_zero_point")},
                          {b}, node + "_dequantize_bias");
      setInt(dqb, "axis", 0);
      convInputs.push_back(b);
    }
    convAttributes(addNode("Conv", convInputs, {y}, node), conv.getStrides(), conv.getPads(),
                   conv.getDilations(), conv.getGroup());
    addNode("QuantizeLinear", {y, nameOf(conv.getYScale()), nameOf(conv.getYZeroPoint())},
            {out}, node + "_quantize_y");
    return success();
  }

  /// Weight-only matmul as ONNX writes blocked quantization:
  ///   MatMul(a, DequantizeLinear(w, scales as float32, axis 0, block_size))
  ///   (+ Add bias); ONNX Runtime fuses the pair into MatMulNBits for int4.
  LogicalResult exportWeightOnly(MatMulWeightOnlyOp mm) {
    std::string node = layerName(mm);
    DenseElementsAttr scales;
    if (!matchPattern(mm.getScales(), m_Constant(&scales)))
      return mm.emitError() << "cannot export run-time weight-only scales", failure();
    SmallVector<float> values;
    for (APFloat v : scales.getValues<APFloat>()) {
      bool lost;
      v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(v.convertToFloat());
    }
    auto shape = cast<ShapedType>(scales.getType()).getShape();
    std::string w = unique(node + "_w");
    auto *dq = addNode("DequantizeLinear",
                       {nameOf(mm.getWeight()),
                        floatInitializer(values, shape, node + "_scales")},
                       {w}, node + "_dequantize_w");
    setInt(dq, "axis", 0);
    setInt(dq, "block_size", mm.getBlockSize());
    std::string out = resultName(mm.getResult(), node, 0);
    names[mm.getResult()] = out;
    if (!mm.getBias()) {
      addNode("MatMul", {nameOf(mm.getA()), w}, {out}, node);
      return success();
    }
    std::string product = unique(node + "_matmul");
    addNode("MatMul", {nameOf(mm.getA()), w}, {product}, node);
    addNode("Add", {product, nameOf(mm.getBias())}, {out}, node + "_bias");
    return success();
  }

  LogicalResult exportGeneric(Operation *op) {
    auto it = onnxOpTypes().find(op->getName().getStringRef());
    if (it == onnxOpTypes().end() || op->getNumRegions())
      return op->emitError() << "ONNX export does not support " << op->getName()
                             << " yet",
             failure();
    std::string node = layerName(op);
    SmallVector<std::string> inputs;
    if (auto segments = op->getAttrOfType<DenseI32ArrayAttr>("operandSegmentSizes")) {
      // Optional operands in ONNX's input order (LSTM, GRU): an absent one
      // is an empty name; trailing empty names are dropped.
      unsigned next = 0;
      for (int32_t size : segments.asArrayRef()) {
        if (size == 0)
          inputs.push_back("");
        for (int32_t i = 0; i < size; ++i)
          inputs.push_back(nameOf(op->getOperand(next++)));
      }
      while (!inputs.empty() && inputs.back().empty())
        inputs.pop_back();
    } else {
      for (Value v : op->getOperands())
        inputs.push_back(nameOf(v));
    }
    if (auto resize = dyn_cast<ResizeOp>(op)) {
      // ONNX Resize: X, roi, scales, sizes, the unused ones empty.
      auto empty = [](Value v) {
        return cast<RankedTensorType>(v.getType()).getNumElements() == 0;
      };
      inputs = {nameOf(resize.getInput()), "",
                empty(resize.getScales()) ? "" : nameOf(resize.getScales()),
                empty(resize.getSizes()) ? "" : nameOf(resize.getSizes())};
      while (!inputs.empty() && inputs.back().empty())
        inputs.pop_back();
    }
    SmallVector<std::string> outputs;
    for (OpResult r : op->getResults()) {
      std::string name = resultName(r, node, r.getResultNumber());
      names[r] = name;
      outputs.push_back(name);
    }
    onnx::NodeProto *n = addNode(it->second, inputs, outputs, node);
    for (NamedAttribute attr : op->getAttrs()) {
      StringRef name = attr.getName().strref();
      if (name.starts_with("dsc.") || name == "operandSegmentSizes")
        continue;
      if (auto array = dyn_cast<ArrayAttr>(attr.getValue()); array && array.empty())
        continue; // ONNX's default: absent
      if (failed(addAttribute(n, name, attr.getValue(), op)))
        return failure();
    }
    if (auto cast = dyn_cast<CastOp>(op))
      setInt(n, "to", onnxDataType(cast.getType().getElementType()));
    return success();
  }

  LogicalResult exportOp(Operation *op) {
    if (auto constant = dyn_cast<ConstantOp>(op)) {
      std::string hint = "const";
      if (auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
        hint = resource.getRawHandle().getKey().str();
      bool ok;
      names[constant.getResult()] = addInitializer(constant.getValue(), hint, op, ok);
      return success(ok);
    }
    if (auto conv = dyn_cast<ConvFusedOp>(op))
      return exportConvFused(conv);
    if (auto mm = dyn_cast<MatMulFusedOp>(op))
      return exportMatMulFused(mm);
    if (auto attention = dyn_cast<AttentionOp>(op))
      return exportAttention(attention);
    if (auto fused = dyn_cast<ElementwiseOp>(op))
      return exportElementwise(fused);
    if (auto ifOp = dyn_cast<IfOp>(op))
      return exportIf(ifOp);
    if (auto loop = dyn_cast<LoopOp>(op))
      return exportLoop(loop);
    if (auto conv = dyn_cast<QLinearConvOp>(op))
      return exportQLinearConv(conv);
    if (auto mm = dyn_cast<MatMulWeightOnlyOp>(op))
      return exportWeightOnly(mm);
    return exportGeneric(op);
  }
};

} // namespace

LogicalResult dsc::exportONNXModel(ModuleOp module, std::string &bytes) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || main.isExternal())
    return module.emitError() << "ONNX export needs a func.func @main with a body",
           failure();
  onnx::ModelProto model;
  model.set_ir_version(10);
  model.set_producer_name("dsc");
  auto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(21);
  onnx::GraphProto &graph = *model.mutable_graph();
  auto graphName = module->getAttrOfType<StringAttr>("dsc.graph_name");
  graph.set_name(graphName ? graphName.str() : "dsc");
  Exporter ex(graph);

  Block &body = main.getBody().front();
  for (BlockArgument arg : body.getArguments()) {
    auto attr = main.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "dsc.name");
    std::string name =
        ex.unique(attr ? attr.str() : "input" + std::to_string(arg.getArgNumber()));
    ex.names[arg] = name;
    auto *info = graph.add_input();
    info->set_name(name);
    if (failed(Exporter::fillType(*info->mutable_type(), arg.getType(), main)))
      return failure();
  }
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  SmallVector<std::string> outputNames;
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto attr = main.getResultAttrOfType<StringAttr>(i, "dsc.name");
    outputNames.push_back(attr ? attr.str() : "output" + std::to_string(i));
    if (v.getDefiningOp() && !isa<ConstantOp>(v.getDefiningOp()))
      ex.outputNames.try_emplace(v, outputNames.back());
  }
  for (const std::string &name : outputNames)
    ex.reserved.insert(name);

  for (Operation &op : body.without_terminator()) {
    if (!isa<DSCDialect>(op.getDialect()))
      return op.emitError() << "ONNX export expects dsc ops only (lower nothing before "
                               "exporting)",
             failure();
    if (failed(ex.exportOp(&op)))
      return failure();
  }
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    std::string name = outputNames[i];
    if (ex.nameOf(v) != name) {
      // A value named otherwise (an input, a constant, one returned twice):
      // an Identity gives the output its name.
      if (ex.used.contains(name)) {
        ex.reserved.erase(name);
        name = ex.unique(name);
      } else {
        ex.used.insert(name);
      }
      ex.addNode("Identity", {ex.nameOf(v)}, {name}, "output_" + name);
    }
    auto *info = graph.add_output();
    info->set_name(name);
    if (failed(Exporter::fillType(*info->mutable_type(), v.getType(), main)))
      return failure();
  }
  if (!model.SerializeToString(&bytes))
    return module.emitError() << "the ONNX model is too large to serialise", failure();
  return success();
}
