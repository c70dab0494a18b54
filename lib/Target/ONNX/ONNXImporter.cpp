//===- ONNXImporter.cpp - ONNX model to dsc dialect ------------------------===//
//
// Reads an ONNX model with libonnx (protobuf parser, textual parser, checker
// and shape inference), validates the graph (cycles, undefined inputs, two
// writers of one name, external data inside the model's folder), and walks
// its nodes in topological order, handing each to the converter the op table
// names for its op type and opset. Constants become dsc.constant ops (large
// ones as dense_resource blobs); node names become locations.
//
//===----------------------------------------------------------------------===//

#include "dsc/Target/ONNX/ONNXImporter.h"
#include "ImporterContext.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/checker.h>
#include <onnx/defs/parser.h>
#include <onnx/shape_inference/implementation.h>

#include <limits>

using namespace mlir;
using namespace dsc;
using namespace dsc::onnx_import;

/// The newest IR version and default-domain opset dsc imports.
static constexpr int64_t kMaxIRVersion = 10;
static constexpr int64_t kMinOpset = 7;
static constexpr int64_t kMaxOpset = 21;
/// libonnx 1.12's schemas and checker stop here.
static constexpr int64_t kLibOnnxMaxIRVersion = 8;
static constexpr int64_t kLibOnnxMaxOpset = 17;
/// No tensor dsc handles has more elements than this (2^40).
static constexpr int64_t kMaxElements = int64_t(1) << 40;

static bool isDefaultDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

static std::string domainName(llvm::StringRef domain) {
  return isDefaultDomain(domain) ? "ai.onnx" : domain.str();
}

Type onnx_import::convertElementType(MLIRContext *context, int32_t dataType) {
  Builder b(context);
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::UINT8:
    return IntegerType::get(context, 8, IntegerType::Unsigned);
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::UINT16:
    return IntegerType::get(context, 16, IntegerType::Unsigned);
  case onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case onnx::TensorProto::INT32:
    return b.getIntegerType(32);
  case onnx::TensorProto::INT64:
    return b.getIntegerType(64);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::UINT32:
    return IntegerType::get(context, 32, IntegerType::Unsigned);
  case onnx::TensorProto::UINT64:
    return IntegerType::get(context, 64, IntegerType::Unsigned);
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case 21: // UINT4 (ONNX 1.16; libonnx 1.12 has no enum for it)
    return IntegerType::get(context, 4, IntegerType::Unsigned);
  case 22: // INT4
    return b.getIntegerType(4);
  default:
    return {};
  }
}

static const char *elementTypeName(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::STRING:
    return "string";
  case onnx::TensorProto::COMPLEX64:
    return "complex64";
  case onnx::TensorProto::COMPLEX128:
    return "complex128";
  default:
    return "an unsupported element type";
  }
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

namespace {
/// A loaded model and the folder its external data must stay inside.
struct LoadedModel {
  onnx::ModelProto model;
  std::string folder;
  std::string path;
};
} // namespace

/// True when the buffer looks like ONNX's textual syntax (`<` header or a
/// graph name followed by `(`) rather than a binary protobuf.
static bool looksTextual(llvm::StringRef path, llvm::StringRef data) {
  if (path.ends_with(".onnxtxt"))
    return true;
  llvm::StringRef rest = data;
  while (true) {
    rest = rest.ltrim();
    if (rest.starts_with("#")) {
      rest = rest.drop_until([](char c) { return c == '\n'; });
      continue;
    }
    break;
  }
  return rest.starts_with("<");
}

static FailureOr<LoadedModel> loadModel(llvm::StringRef path,
                                        MLIRContext *context) {
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/true);
  if (!buffer)
    return emitError(fileLoc) << "cannot read '" << path
                              << "': " << buffer.getError().message(),
           failure();
  llvm::StringRef data = (*buffer)->getBuffer();
  if (data.empty())
    return emitError(fileLoc) << "'" << path
                              << "' is empty, not an ONNX model",
           failure();

  LoadedModel loaded;
  loaded.path = path.str();
  llvm::SmallString<256> folder(path);
  llvm::sys::path::remove_filename(folder);
  if (folder.empty())
    folder = ".";
  loaded.folder = std::string(folder);

  if (looksTextual(path, data)) {
    onnx::OnnxParser parser(data.data());
    auto status = parser.Parse(loaded.model);
    if (!status.IsOK())
      return emitError(fileLoc) << "cannot parse the textual ONNX model '"
                                << path << "': " << status.ErrorMessage(),
             failure();
  } else {
    if (data.size() > (size_t)std::numeric_limits<int>::max())
      return emitError(fileLoc) << "'" << path
                                << "' is larger than 2 GiB; store the weights "
                                   "as external data",
             failure();
    if (!loaded.model.ParseFromArray(data.data(), (int)data.size()))
      return emitError(fileLoc)
                 << "'" << path
                 << "' is not a valid ONNX model (the protobuf does not "
                    "parse: the file is truncated or not ONNX)",
             failure();
  }
  if (!loaded.model.has_graph())
    return emitError(fileLoc) << "'" << path
                              << "' has no graph: not an ONNX model",
           failure();
  return loaded;
}

/// Returns the default-domain opset and checks the IR version and opsets.
static FailureOr<int64_t> checkVersions(const LoadedModel &loaded,
                                        MLIRContext *context) {
  Location fileLoc = FileLineColLoc::get(context, loaded.path, 0, 0);
  const onnx::ModelProto &model = loaded.model;
  if (model.ir_version() > kMaxIRVersion)
    return emitError(fileLoc) << "IR version " << model.ir_version()
                              << " is newer than dsc supports (up to "
                              << kMaxIRVersion << ")",
           failure();
  int64_t opset = -1;
  for (const auto &import : model.opset_import())
    if (isDefaultDomain(import.domain()))
      opset = import.version();
  if (opset < 0) {
    if (model.ir_version() >= 3 || model.opset_import_size() > 0)
      return emitError(fileLoc) << "the model imports no ai.onnx opset",
             failure();
    opset = 1;
  }
  if (opset > kMaxOpset)
    return emitError(fileLoc) << "ai.onnx opset " << opset
                              << " is newer than dsc supports (up to "
                              << kMaxOpset << ")",
           failure();
  if (opset < kMinOpset)
    return emitError(fileLoc) << "ai.onnx opset " << opset
                              << " is older than dsc supports (from "
                              << kMinOpset << ")",
           failure();
  return opset;
}

//===----------------------------------------------------------------------===//
// Tensor data
//===----------------------------------------------------------------------===//

/// Number of elements of `dims`, or failure on negative dims or overflow.
static FailureOr<int64_t> elementCount(llvm::ArrayRef<int64_t> dims) {
  int64_t count = 1;
  for (int64_t dim : dims) {
    if (dim < 0)
      return failure();
    if (dim != 0 && count > kMaxElements / dim)
      return failure();
    count *= dim;
  }
  return count;
}

/// Reads the external data of `tensor` from a file inside `folder`.
static LogicalResult readExternalData(const onnx::TensorProto &tensor,
                                      llvm::StringRef folder,
                                      std::string &bytes, Location loc) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset" || entry.key() == "length") {
      int64_t value;
      if (llvm::StringRef(entry.value()).getAsInteger(10, value) || value < 0)
        return emitError(loc) << "tensor '" << tensor.name() << "' has an invalid external-data "
                              << entry.key() << " '" << entry.value() << "'";
      (entry.key() == "offset" ? offset : length) = value;
    }
  }
  if (location.empty())
    return emitError(loc) << "tensor '" << tensor.name()
                          << "' is stored externally but names no location";
  // The file must stay inside the model's folder: no absolute paths, no
  // '..' that climbs out, no symbolic link that leads out.
  if (llvm::sys::path::is_absolute(location) ||
      llvm::sys::path::is_absolute(location, llvm::sys::path::Style::windows))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data location '" << location
                          << "' is absolute; it must be relative to the "
                             "model's folder",
           failure();
  llvm::SmallString<256> normalized(location);
  llvm::sys::path::remove_dots(normalized, /*remove_dot_dot=*/true);
  if (llvm::StringRef(normalized).starts_with(".."))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data location '" << location
                          << "' leaves the model's folder",
           failure();
  llvm::SmallString<256> full(folder);
  llvm::sys::path::append(full, normalized);
  llvm::SmallString<256> realFolder, realFile;
  if (llvm::sys::fs::real_path(full, realFile))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data file '" << location
                          << "' does not exist in the model's folder",
           failure();
  if (llvm::sys::fs::real_path(folder, realFolder) ||
      !llvm::StringRef(realFile).starts_with(
          (realFolder + llvm::sys::path::get_separator()).str()))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data location '" << location
                          << "' leads outside the model's folder",
           failure();
  auto buffer = llvm::MemoryBuffer::getFile(realFile, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return emitError(loc) << "cannot read external data '" << location
                          << "': " << buffer.getError().message();
  int64_t size = (*buffer)->getBufferSize();
  if (length < 0)
    length = size - offset;
  if (offset > size || length > size - offset)
    return emitError(loc) << "tensor '" << tensor.name()
                          << "': external data range [" << offset << ", "
                          << offset + length << ") exceeds '" << location
                          << "' (" << size << " bytes)";
  bytes.assign((*buffer)->getBufferStart() + offset, length);
  return success();
}

/// Converts an ONNX tensor to an elements attribute. Tensors larger than
/// `resourceThreshold` elements become dense_resource blobs.
static FailureOr<ElementsAttr>
convertTensor(const onnx::TensorProto &tensor, MLIRContext *context,
              llvm::StringRef folder, int64_t resourceThreshold, Location loc) {
  Type elementType = convertElementType(context, tensor.data_type());
  if (!elementType)
    return emitError(loc) << "tensor '" << tensor.name() << "' has "
                          << elementTypeName(tensor.data_type())
                          << " elements (data type " << tensor.data_type()
                          << "), which dsc does not support",
           failure();
  llvm::SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  FailureOr<int64_t> count = elementCount(dims);
  if (failed(count))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "' has a negative or overflowing shape",
           failure();
  auto type = RankedTensorType::get(dims, elementType);
  unsigned bitWidth = elementType.getIntOrFloatBitWidth();
  // Bytes of the little-endian raw form (bool: one byte each; 4-bit: packed).
  int64_t rawBytes = bitWidth == 4 ? (*count + 1) / 2
                                   : *count * std::max(8u, bitWidth) / 8;

  std::string external;
  const std::string *raw = nullptr;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    if (failed(readExternalData(tensor, folder, external, loc)))
      return failure();
    raw = &external;
  } else if (tensor.has_raw_data()) {
    raw = &tensor.raw_data();
  }

  // Gather the data as raw little-endian bytes.
  std::vector<char> bytes;
  if (raw) {
    if ((int64_t)raw->size() != rawBytes)
      return emitError(loc) << "tensor '" << tensor.name() << "' holds "
                            << raw->size() << " bytes but its shape and type need "
                            << rawBytes,
             failure();
    bytes.assign(raw->begin(), raw->end());
  } else {
    auto mismatch = [&](int64_t have) {
      return emitError(loc) << "tensor '" << tensor.name() << "' holds " << have
                            << " values but its shape needs " << *count,
             failure();
    };
    bytes.resize(rawBytes);
    switch (tensor.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (tensor.float_data_size() != *count)
        return mismatch(tensor.float_data_size());
      memcpy(bytes.data(), tensor.float_data().data(), rawBytes);
      break;
    case onnx::TensorProto::DOUBLE:
      if (tensor.double_data_size() != *count)
        return mismatch(tensor.double_data_size());
      memcpy(bytes.data(), tensor.double_data().data(), rawBytes);
      break;
    case onnx::TensorProto::INT64:
      if (tensor.int64_data_size() != *count)
        return mismatch(tensor.int64_data_size());
      memcpy(bytes.data(), tensor.int64_data().data(), rawBytes);
      break;
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64: {
      if (tensor.uint64_data_size() != *count)
        return mismatch(tensor.uint64_data_size());
      for (int64_t i = 0; i < *count; ++i) {
        uint64_t v = tensor.uint64_data(i);
        memcpy(bytes.data() + i * bitWidth / 8, &v, bitWidth / 8);
      }
      break;
    }
    case 21:
    case 22: {
      // 4-bit values are packed two per int32_data entry's low byte.
      if (tensor.int32_data_size() != rawBytes)
        return mismatch(tensor.int32_data_size() * 2);
      for (int64_t i = 0; i < rawBytes; ++i)
        bytes[i] = (char)tensor.int32_data(i);
      break;
    }
    default: {
      // int8/16/32, uint8/16, bool, float16 and bfloat16 (as bit patterns)
      // live in int32_data, one value per entry.
      if (tensor.int32_data_size() != *count)
        return mismatch(tensor.int32_data_size());
      unsigned width = std::max(8u, bitWidth) / 8;
      for (int64_t i = 0; i < *count; ++i) {
        int32_t v = tensor.int32_data(i);
        memcpy(bytes.data() + i * width, &v, width);
      }
      break;
    }
    }
  }

  if (elementType.isInteger(1)) {
    llvm::SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    return ElementsAttr(DenseElementsAttr::get(type, values));
  }
  if (bitWidth == 4) {
    llvm::SmallVector<APInt> values;
    for (int64_t i = 0; i < *count; ++i) {
      uint8_t byte = bytes[i / 2];
      values.push_back(APInt(4, i % 2 ? byte >> 4 : byte & 0xF));
    }
    return ElementsAttr(DenseElementsAttr::get(type, values));
  }
  if (*count > resourceThreshold) {
    // Resource keys must be bare identifiers: keep letters, digits, '_'
    // and '.'; anything else becomes '_'.
    std::string key = tensor.name().empty() ? "weight" : tensor.name();
    for (char &c : key)
      if (!llvm::isAlnum(c) && c != '_' && c != '.')
        c = '_';
    if (llvm::isDigit(key[0]))
      key.insert(0, "w");
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        llvm::ArrayRef<char>(bytes), /*align=*/8);
    return ElementsAttr(DenseResourceElementsAttr::get(type, key, std::move(blob)));
  }
  bool isSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, bytes, isSplat))
    return emitError(loc) << "tensor '" << tensor.name()
                          << "' has malformed data",
           failure();
  return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, bytes));
}

//===----------------------------------------------------------------------===//
// The graph walker
//===----------------------------------------------------------------------===//

namespace dsc {
namespace onnx_import {

/// Walks one ONNX graph (the main graph or a subgraph) and builds dsc ops.
class GraphImporter {
public:
  GraphImporter(MLIRContext *context, const LoadedModel &loaded,
                const ONNXImportOptions &options, int64_t opset,
                GraphImporter *parent, OpBuilder &constantBuilder)
      : context(context), loaded(loaded), options(options), opset(opset),
        parent(parent), constantBuilder(constantBuilder) {}

  MLIRContext *context;
  const LoadedModel &loaded;
  const ONNXImportOptions &options;
  int64_t opset;
  GraphImporter *parent;
  /// Inserts constants at the top of the main function, where they dominate
  /// every use, subgraphs included.
  OpBuilder &constantBuilder;

  /// Values by ONNX name in this graph's scope.
  llvm::StringMap<Value> values;
  /// Initializers not yet materialised.
  llvm::StringMap<const onnx::TensorProto *> initializers;
  /// ONNX's shape inference results.
  llvm::StringMap<const onnx::TypeProto *> valueInfos;
  /// Names some node or graph output reads (to tell used outputs).
  llvm::StringSet<> consumed;
  /// Errors about unsupported ops: op type -> nodes (for --list-unsupported).
  std::map<std::string, UnsupportedOpReport> *unsupported = nullptr;

  Value lookup(llvm::StringRef name);
  bool isDefined(llvm::StringRef name) const;
  bool isConsumed(llvm::StringRef name) const {
    return consumed.contains(name) || (parent && parent->isConsumed(name));
  }
  const onnx::TypeProto *lookupValueInfo(llvm::StringRef name) const {
    auto it = valueInfos.find(name);
    if (it != valueInfos.end())
      return it->second;
    return parent ? parent->lookupValueInfo(name) : nullptr;
  }
  FailureOr<Value> materializeConstant(const onnx::TensorProto &tensor,
                                       Location loc);

  LogicalResult collect(const onnx::GraphProto &graph);
  FailureOr<std::vector<const onnx::NodeProto *>>
  sortNodes(const onnx::GraphProto &graph);
  LogicalResult importNodes(const onnx::GraphProto &graph, OpBuilder &builder);
  LogicalResult importNode(const onnx::NodeProto &node, OpBuilder &builder);
  Location nodeLocation(const onnx::NodeProto &node);
  std::string describe(const onnx::NodeProto &node) const;
  void foldConstantResults(SmallVectorImpl<Value> &results);
  /// True once an initializer failed to convert (its error is reported).
  bool badInitializer = false;
};

} // namespace onnx_import
} // namespace dsc

static std::string nodeLabel(const onnx::NodeProto &node);

/// "node 'NAME' (OpType, domain D, opset N)": how every message names a node.
std::string GraphImporter::describe(const onnx::NodeProto &node) const {
  int64_t nodeOpset = opset;
  if (!isDefaultDomain(node.domain())) {
    nodeOpset = 0;
    for (const auto &import : loaded.model.opset_import())
      if (import.domain() == node.domain())
        nodeOpset = import.version();
  }
  return "node '" + nodeLabel(node) + "' (" + node.op_type() + ", domain " +
         domainName(node.domain()) + ", opset " + std::to_string(nodeOpset) +
         ")";
}

static std::string nodeLabel(const onnx::NodeProto &node) {
  if (!node.name().empty())
    return node.name();
  if (node.output_size() > 0 && !node.output(0).empty())
    return node.op_type() + ":" + node.output(0);
  return node.op_type();
}

Location GraphImporter::nodeLocation(const onnx::NodeProto &node) {
  return NameLoc::get(StringAttr::get(context, nodeLabel(node)));
}

bool GraphImporter::isDefined(llvm::StringRef name) const {
  return values.contains(name) || initializers.contains(name) ||
         (parent && parent->isDefined(name));
}

Value GraphImporter::lookup(llvm::StringRef name) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto init = initializers.find(name);
  if (init != initializers.end()) {
    FailureOr<Value> value = materializeConstant(
        *init->second, NameLoc::get(StringAttr::get(context, name)));
    if (failed(value)) {
      badInitializer = true;
      return {};
    }
    values[name] = *value;
    return *value;
  }
  return parent ? parent->lookup(name) : Value();
}

FailureOr<Value> GraphImporter::materializeConstant(const onnx::TensorProto &tensor,
                                                   Location loc) {
  FailureOr<ElementsAttr> attr = convertTensor(
      tensor, context, loaded.folder, options.resourceThreshold, loc);
  if (failed(attr))
    return failure();
  return constantBuilder.create<ConstantOp>(loc, *attr).getResult();
}

LogicalResult GraphImporter::collect(const onnx::GraphProto &graph) {
  for (const auto &init : graph.initializer()) {
    if (init.name().empty())
      return emitError(UnknownLoc::get(context))
             << "graph '" << graph.name() << "' has an initializer with no name";
    initializers[init.name()] = &init;
  }
  for (const auto &info : graph.value_info())
    valueInfos[info.name()] = &info.type();
  for (const auto &info : graph.output())
    valueInfos[info.name()] = &info.type();
  for (const auto &node : graph.node())
    for (const auto &name : node.input())
      consumed.insert(name);
  for (const auto &output : graph.output())
    consumed.insert(output.name());
  return success();
}

/// Orders the nodes so every node comes after the producers of its inputs,
/// and refuses cycles, undefined inputs and names written twice.
FailureOr<std::vector<const onnx::NodeProto *>>
GraphImporter::sortNodes(const onnx::GraphProto &graph) {
  llvm::StringMap<const onnx::NodeProto *> producer;
  for (const auto &node : graph.node()) {
    for (const auto &output : node.output()) {
      if (output.empty())
        continue;
      auto [it, inserted] = producer.try_emplace(output, &node);
      if (!inserted)
        return emitError(nodeLocation(node))
                   << describe(node) << ": writes '" << output
                   << "', which " << describe(*it->second) << " also writes",
               failure();
      if (values.contains(output) || initializers.contains(output))
        return emitError(nodeLocation(node))
                   << describe(node) << ": writes '" << output
                   << "', which is already a graph input or initializer",
               failure();
    }
  }
  // Kahn's algorithm over the node list, stable in the file's order.
  llvm::DenseMap<const onnx::NodeProto *, int> pending;
  llvm::DenseMap<const onnx::NodeProto *, std::vector<const onnx::NodeProto *>>
      users;
  std::vector<const onnx::NodeProto *> ready, order;
  // Names a subgraph reads from the outer scope count as inputs too.
  std::function<void(const onnx::GraphProto &, llvm::StringSet<> &)>
      collectSubgraphReads = [&](const onnx::GraphProto &g,
                                 llvm::StringSet<> &reads) {
        for (const auto &n : g.node()) {
          for (const auto &in : n.input())
            reads.insert(in);
          for (const auto &a : n.attribute()) {
            if (a.has_g())
              collectSubgraphReads(a.g(), reads);
            for (const auto &sub : a.graphs())
              collectSubgraphReads(sub, reads);
          }
        }
        for (const auto &o : g.output())
          reads.insert(o.name());
      };
  for (const auto &node : graph.node()) {
    llvm::StringSet<> reads;
    for (const auto &in : node.input())
      reads.insert(in);
    for (const auto &a : node.attribute()) {
      if (a.has_g())
        collectSubgraphReads(a.g(), reads);
      for (const auto &sub : a.graphs())
        collectSubgraphReads(sub, reads);
    }
    int count = 0;
    for (const auto &entry : reads) {
      llvm::StringRef in = entry.getKey();
      if (in.empty())
        continue;
      auto it = producer.find(in);
      if (it != producer.end()) {
        if (it->second == &node)
          return emitError(nodeLocation(node))
                     << describe(node) << ": reads its own output '" << in
                     << "': the graph has a cycle",
                 failure();
        users[it->second].push_back(&node);
        ++count;
        continue;
      }
      // Names defined inside a subgraph are resolved when it is imported.
      bool direct = llvm::is_contained(node.input(), in.str());
      if (direct && !isDefined(in))
        return emitError(nodeLocation(node))
                   << describe(node) << ": reads '" << in
                   << "', which no node, initializer or graph input defines",
               failure();
    }
    pending[&node] = count;
    if (count == 0)
      ready.push_back(&node);
  }
  while (!ready.empty()) {
    const onnx::NodeProto *node = ready.front();
    ready.erase(ready.begin());
    order.push_back(node);
    for (const onnx::NodeProto *user : users[node])
      if (--pending[user] == 0)
        ready.push_back(user);
  }
  if ((int)order.size() != graph.node_size()) {
    for (const auto &node : graph.node())
      if (pending[&node] > 0)
        return emitError(nodeLocation(node))
                   << describe(node)
                   << ": is part of a cycle: the graph is not a DAG",
               failure();
  }
  return order;
}

LogicalResult GraphImporter::importNodes(const onnx::GraphProto &graph,
                                         OpBuilder &builder) {
  auto order = sortNodes(graph);
  if (failed(order))
    return failure();
  bool ok = true;
  for (const onnx::NodeProto *node : *order) {
    if (failed(importNode(*node, builder))) {
      ok = false;
      if (!unsupported)
        return failure();
    }
  }
  return success(ok);
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        OpBuilder &builder) {
  Location loc = nodeLocation(node);
  if (!isDefaultDomain(node.domain())) {
    int64_t domainOpset = 0;
    for (const auto &import : loaded.model.opset_import())
      if (import.domain() == node.domain())
        domainOpset = import.version();
    if (unsupported) {
      auto &entry = (*unsupported)[node.domain() + "::" + node.op_type()];
      entry.opType = node.op_type();
      entry.domain = node.domain();
      entry.opset = domainOpset;
      entry.nodeNames.push_back(nodeLabel(node));
      return failure();
    }
    return emitError(loc) << "node '" << nodeLabel(node) << "' ("
                          << node.op_type() << ", domain " << node.domain()
                          << ", opset " << domainOpset
                          << "): dsc does not support ops of domain '"
                          << node.domain() << "'";
  }
  const OpConverter *converter = findOpConverter(node.op_type(), opset);
  if (!converter) {
    if (unsupported) {
      auto &entry = (*unsupported)[node.op_type()];
      entry.opType = node.op_type();
      entry.domain = "ai.onnx";
      entry.opset = opset;
      entry.nodeNames.push_back(nodeLabel(node));
      return failure();
    }
    bool known = llvm::any_of(getOpConverters(), [&](const OpConverter &c) {
      return node.op_type() == c.opType;
    });
    auto diag = emitError(loc) << "node '" << nodeLabel(node) << "' ("
                               << node.op_type() << ", domain ai.onnx, opset "
                               << opset << "): ";
    if (known)
      diag << "dsc does not support " << node.op_type() << " at opset "
           << opset;
    else
      diag << "dsc does not support the op " << node.op_type();
    return diag;
  }
  if (unsupported) {
    // Listing only: nothing is built, but subgraphs are listed too.
    bool ok = true;
    for (const auto &a : node.attribute()) {
      std::vector<const onnx::GraphProto *> graphs;
      if (a.has_g())
        graphs.push_back(&a.g());
      for (const auto &g : a.graphs())
        graphs.push_back(&g);
      for (const onnx::GraphProto *g : graphs)
        for (const auto &inner : g->node())
          if (failed(importNode(inner, builder)))
            ok = false;
    }
    return success(ok);
  }

  for (int i = 0; i < node.input_size(); ++i) {
    if (node.input(i).empty() || lookup(node.input(i)))
      continue;
    // A bad initializer has been reported already: no second error.
    if (badInitializer || (parent && parent->badInitializer))
      return failure();
    return emitError(loc) << describe(node) << ": reads '" << node.input(i)
                          << "', which is not defined before it";
  }

  NodeContext ctx(*this, node, opset, builder, loc);
  if (failed(converter->convert(ctx)))
    return failure();
  if ((int)ctx.results.size() < node.output_size())
    return emitError(loc) << "internal error: the converter of "
                          << node.op_type() << " produced "
                          << ctx.results.size() << " results for "
                          << node.output_size() << " outputs";
  foldConstantResults(ctx.results);
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      values[node.output(i)] = ctx.results[i];
  return success();
}

/// Shape arithmetic on constants (Shape of a static tensor, Gather/Concat/
/// Unsqueeze of shape vectors, small integer math) is evaluated as it is
/// imported, with the ops' folders, so the converters of later nodes see
/// constant shapes and infer static result types. Only results that fold to
/// small dense constants are replaced; weights (resource blobs) never fold.
void GraphImporter::foldConstantResults(SmallVectorImpl<Value> &results) {
  llvm::SmallPtrSet<Operation *, 4> folded;
  for (Value &result : results) {
    Operation *op = result.getDefiningOp();
    if (!op || isa<ConstantOp>(op) || op->getNumRegions() != 0)
      continue;
    // Non-constant operands fold as null (Shape needs only the type).
    SmallVector<Attribute> operands;
    for (Value operand : op->getOperands()) {
      Attribute attr;
      matchPattern(operand, m_Constant(&attr));
      operands.push_back(attr);
    }
    SmallVector<OpFoldResult> foldResults;
    if (failed(op->fold(operands, foldResults)) ||
        foldResults.size() != op->getNumResults())
      continue;
    OpFoldResult foldResult =
        foldResults[cast<OpResult>(result).getResultNumber()];
    Value constant;
    if (auto value = dyn_cast<Value>(foldResult)) {
      // e.g. c * 1 -> c: fine when c is itself a constant.
      if (value.getType() == result.getType() && value.getDefiningOp<ConstantOp>())
        constant = value;
    } else if (auto attr = dyn_cast_or_null<ElementsAttr>(
                   dyn_cast<Attribute>(foldResult))) {
      if (attr.getType() == result.getType())
        constant = constantBuilder.create<ConstantOp>(op->getLoc(), attr);
    }
    if (!constant)
      continue;
    result.replaceAllUsesWith(constant);
    result = constant;
    folded.insert(op);
  }
  for (Operation *op : folded)
    if (op->use_empty())
      op->erase();
}

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

Value NodeContext::input(int i) const {
  if (!hasInput(i))
    return {};
  return importer.lookup(node.input(i));
}

template <typename T>
static std::optional<llvm::SmallVector<T>> constantValues(Value value) {
  if (!value)
    return std::nullopt;
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  llvm::SmallVector<T> result;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (isa<FloatType>(dense.getElementType())) {
      for (APFloat v : dense.getValues<APFloat>())
        result.push_back((T)v.convertToDouble());
    } else if (auto intType = dyn_cast<IntegerType>(dense.getElementType())) {
      for (APInt v : dense.getValues<APInt>())
        result.push_back(intType.isUnsigned() ? (T)v.getZExtValue()
                                              : (T)v.getSExtValue());
    } else {
      return std::nullopt;
    }
    return result;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    llvm::ArrayRef<char> data = blob->getData();
    Type elementType = resource.getType().getElementType();
    int64_t count = resource.getNumElements();
    auto read = [&](auto sample) {
      using E = decltype(sample);
      if ((int64_t)data.size() != count * (int64_t)sizeof(E))
        return false;
      for (int64_t i = 0; i < count; ++i) {
        E v;
        memcpy(&v, data.data() + i * sizeof(E), sizeof(E));
        result.push_back((T)v);
      }
      return true;
    };
    bool ok = false;
    if (elementType.isF32())
      ok = read(float());
    else if (elementType.isF64())
      ok = read(double());
    else if (elementType.isInteger(64))
      ok = read(int64_t());
    else if (elementType.isInteger(32))
      ok = read(int32_t());
    if (ok)
      return result;
  }
  return std::nullopt;
}

std::optional<llvm::SmallVector<int64_t>> NodeContext::constantInts(int i) const {
  return constantValues<int64_t>(input(i));
}

std::optional<llvm::SmallVector<double>> NodeContext::constantFloats(int i) const {
  return constantValues<double>(input(i));
}

bool NodeContext::outputUsed(int i) const {
  return i < node.output_size() && !node.output(i).empty() &&
         importer.isConsumed(node.output(i));
}

const onnx::AttributeProto *NodeContext::attr(llvm::StringRef name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::intAttr(llvm::StringRef name, int64_t fallback) const {
  const auto *a = attr(name);
  return a ? a->i() : fallback;
}

float NodeContext::floatAttr(llvm::StringRef name, float fallback) const {
  const auto *a = attr(name);
  return a ? a->f() : fallback;
}

std::string NodeContext::stringAttr(llvm::StringRef name,
                                    llvm::StringRef fallback) const {
  const auto *a = attr(name);
  return a ? a->s() : fallback.str();
}

std::optional<llvm::SmallVector<int64_t>>
NodeContext::intsAttr(llvm::StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return llvm::SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

std::optional<llvm::SmallVector<float>>
NodeContext::floatsAttr(llvm::StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return llvm::SmallVector<float>(a->floats().begin(), a->floats().end());
}

std::optional<llvm::SmallVector<std::string>>
NodeContext::stringsAttr(llvm::StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return llvm::SmallVector<std::string>(a->strings().begin(), a->strings().end());
}

FailureOr<Value> NodeContext::tensorAttr(llvm::StringRef name) {
  const auto *a = attr(name);
  if (!a || !a->has_t())
    return error() << "expects a tensor attribute '" << name << "'", failure();
  return importer.materializeConstant(a->t(), loc);
}

RankedTensorType NodeContext::onnxOutputType(int i) const {
  if (i >= node.output_size())
    return {};
  const onnx::TypeProto *type = importer.lookupValueInfo(node.output(i));
  if (!type || !type->has_tensor_type() || !type->tensor_type().has_shape())
    return {};
  Type elementType =
      convertElementType(importer.context, type->tensor_type().elem_type());
  if (!elementType)
    return {};
  llvm::SmallVector<int64_t> dims;
  for (const auto &dim : type->tensor_type().shape().dim())
    dims.push_back(dim.has_dim_value() && dim.dim_value() >= 0
                       ? dim.dim_value()
                       : ShapedType::kDynamic);
  return RankedTensorType::get(dims, elementType);
}

InFlightDiagnostic NodeContext::error() {
  return emitError(loc) << "node '" << nodeLabel(node) << "' ("
                        << node.op_type() << ", domain ai.onnx, opset "
                        << opset << "): ";
}

Value NodeContext::constI64(llvm::ArrayRef<int64_t> values, bool scalar) {
  auto type = RankedTensorType::get(
      scalar ? llvm::ArrayRef<int64_t>{} : llvm::ArrayRef<int64_t>{(int64_t)values.size()},
      builder.getI64Type());
  return importer.constantBuilder
      .create<ConstantOp>(loc, DenseElementsAttr::get(type, values))
      .getResult();
}

Value NodeContext::constF32(llvm::ArrayRef<float> values, bool scalar) {
  auto type = RankedTensorType::get(
      scalar ? llvm::ArrayRef<int64_t>{} : llvm::ArrayRef<int64_t>{(int64_t)values.size()},
      builder.getF32Type());
  return importer.constantBuilder
      .create<ConstantOp>(loc, DenseElementsAttr::get(type, values))
      .getResult();
}

Value NodeContext::constScalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  Attribute element;
  if (auto floatType = dyn_cast<FloatType>(elementType))
    element = FloatAttr::get(floatType, value);
  else
    element = IntegerAttr::get(elementType, (int64_t)value);
  return importer.constantBuilder
      .create<ConstantOp>(loc, DenseElementsAttr::get(type, element))
      .getResult();
}

Value NodeContext::constAttr(ElementsAttr value) {
  return importer.constantBuilder.create<ConstantOp>(loc, value).getResult();
}

Operation *NodeContext::create(llvm::StringRef name, ValueRange operands,
                               TypeRange resultTypes,
                               llvm::ArrayRef<NamedAttribute> attrs) {
  OperationState state(loc, ("dsc." + name).str());
  state.addOperands(operands);
  state.addTypes(resultTypes);
  state.addAttributes(attrs);
  return builder.create(state);
}

//===----------------------------------------------------------------------===//
// Subgraphs
//===----------------------------------------------------------------------===//

LogicalResult onnx_import::importSubgraph(
    NodeContext &ctx, const onnx::GraphProto &graph, Region &region,
    llvm::ArrayRef<Type> argumentTypes, llvm::SmallVectorImpl<Type> &yieldTypes) {
  GraphImporter &outer = ctx.importer;
  GraphImporter sub(outer.context, outer.loaded, outer.options, outer.opset,
                    &outer, outer.constantBuilder);
  if (failed(sub.collect(graph)))
    return failure();
  Block *block = new Block();
  region.push_back(block);
  if ((int)argumentTypes.size() != graph.input_size())
    return ctx.error() << "subgraph '" << graph.name() << "' has "
                       << graph.input_size() << " inputs, expected "
                       << argumentTypes.size();
  for (auto [i, type] : llvm::enumerate(argumentTypes)) {
    // An input the subgraph declares with a more precise type wins.
    Type argType = type;
    const auto &info = graph.input(i).type();
    if (info.has_tensor_type() && info.tensor_type().has_shape()) {
      Type elementType =
          convertElementType(outer.context, info.tensor_type().elem_type());
      llvm::SmallVector<int64_t> dims;
      for (const auto &dim : info.tensor_type().shape().dim())
        dims.push_back(dim.has_dim_value() ? dim.dim_value()
                                           : ShapedType::kDynamic);
      // Only when it agrees with what the op passes (element type, rank).
      auto passed = cast<RankedTensorType>(type);
      if (elementType && elementType == passed.getElementType() &&
          (int64_t)dims.size() == passed.getRank())
        argType = RankedTensorType::get(dims, elementType);
    }
    sub.values[graph.input(i).name()] = block->addArgument(argType, ctx.loc);
  }
  // The region belongs to an op not created yet: take the context from the
  // enclosing builder, not from the block.
  OpBuilder builder(outer.context);
  builder.setInsertionPointToStart(block);
  if (failed(sub.importNodes(graph, builder)))
    return failure();
  llvm::SmallVector<Value> outputs;
  for (const auto &output : graph.output()) {
    Value value = sub.lookup(output.name());
    if (!value)
      return ctx.error() << "subgraph output '" << output.name()
                         << "' is not defined";
    outputs.push_back(value);
    yieldTypes.push_back(value.getType());
  }
  builder.create<YieldOp>(ctx.loc, outputs);
  return success();
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// Runs libonnx's checker and shape inference where it knows the model's
/// versions; their findings refine, but never replace, dsc's own inference.
static LogicalResult runLibOnnx(LoadedModel &loaded, int64_t opset,
                                MLIRContext *context,
                                std::string &checkerError) {
  if (loaded.model.ir_version() > kLibOnnxMaxIRVersion ||
      opset > kLibOnnxMaxOpset)
    return success();
  try {
    onnx::checker::CheckerContext checkerContext;
    checkerContext.set_ir_version((int)loaded.model.ir_version());
    std::unordered_map<std::string, int> opsets;
    for (const auto &import : loaded.model.opset_import())
      opsets[import.domain()] = (int)import.version();
    checkerContext.set_opset_imports(opsets);
    checkerContext.set_model_dir(loaded.folder);
    onnx::checker::LexicalScopeContext lexicalScope;
    onnx::checker::check_graph(loaded.model.graph(), checkerContext,
                               lexicalScope);
  } catch (const std::exception &e) {
    // The checker's message names the node; graph-structure errors that dsc
    // reports itself (cycles, undefined names) are caught later with a
    // clearer message, so only report what the checker alone sees.
    std::string message = e.what();
    if (message.find("Nodes in a graph must be topologically sorted") ==
            std::string::npos &&
        message.find("is not output of any previous nodes") ==
            std::string::npos &&
        message.find("Graph must be in single static assignment") ==
            std::string::npos) {
      // Keep only the first line: it names the node and the problem. It is
      // reported only if dsc's own import finds nothing wrong, since dsc's
      // messages name the node, op type and opset.
      checkerError = message.substr(0, message.find('\n'));
    }
  }
  try {
    onnx::ShapeInferenceOptions inferenceOptions(/*check_type=*/false,
                                                 /*strict_mode=*/0,
                                                 /*data_prop=*/true);
    onnx::shape_inference::InferShapes(loaded.model,
                                       onnx::OpSchemaRegistry::Instance(),
                                       inferenceOptions);
  } catch (const std::exception &) {
    // dsc's own inference covers every op it imports.
  }
  return success();
}

/// Applies --input-shape to the graph's inputs before shape inference.
static LogicalResult applyInputShapes(LoadedModel &loaded,
                                      const ONNXImportOptions &options,
                                      MLIRContext *context) {
  Location fileLoc = FileLineColLoc::get(context, loaded.path, 0, 0);
  for (const auto &[name, dims] : options.inputShapes) {
    onnx::ValueInfoProto *input = nullptr;
    for (auto &candidate : *loaded.model.mutable_graph()->mutable_input())
      if (candidate.name() == name)
        input = &candidate;
    if (!input)
      return emitError(fileLoc) << "--input-shape names '" << name
                                << "', which is not an input of the model";
    auto *shape = input->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() != 0 && shape->dim_size() != (int)dims.size())
      return emitError(fileLoc)
             << "--input-shape gives " << dims.size() << " dims for '" << name
             << "', which has rank " << shape->dim_size();
    for (int i = 0; i < (int)dims.size(); ++i) {
      if (i < shape->dim_size() && shape->dim(i).has_dim_value() &&
          shape->dim(i).dim_value() != dims[i])
        return emitError(fileLoc)
               << "--input-shape sets dim " << i << " of '" << name << "' to "
               << dims[i] << ", but the model fixes it to "
               << shape->dim(i).dim_value();
    }
    shape->clear_dim();
    for (int64_t dim : dims)
      shape->add_dim()->set_dim_value(dim);
  }
  return success();
}

static OwningOpRef<ModuleOp> importImpl(llvm::StringRef path,
                                        MLIRContext *context,
                                        const ONNXImportOptions &options,
                                        std::map<std::string, UnsupportedOpReport> *unsupported) {
  context->loadDialect<DSCDialect, func::FuncDialect>();
  FailureOr<LoadedModel> loaded = loadModel(path, context);
  if (failed(loaded))
    return {};
  FailureOr<int64_t> opset = checkVersions(*loaded, context);
  if (failed(opset))
    return {};
  std::string checkerError;
  if (!unsupported) {
    if (failed(applyInputShapes(*loaded, options, context)) ||
        failed(runLibOnnx(*loaded, *opset, context, checkerError)))
      return {};
  }

  const onnx::GraphProto &graph = loaded->model.graph();
  Location fileLoc = FileLineColLoc::get(context, path, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  OpBuilder moduleBuilder = OpBuilder::atBlockBegin(module->getBody());
  if (!graph.name().empty())
    (*module)->setAttr("dsc.graph_name", moduleBuilder.getStringAttr(graph.name()));
  (*module)->setAttr("dsc.onnx_opset", moduleBuilder.getI64IntegerAttr(*opset));

  if (graph.output_size() == 0) {
    emitError(fileLoc) << "graph '" << graph.name() << "' has no outputs";
    return {};
  }

  // Graph inputs that are not initializers are the function's arguments.
  llvm::StringSet<> initializerNames;
  for (const auto &init : graph.initializer())
    initializerNames.insert(init.name());
  llvm::SmallVector<Type> argTypes;
  llvm::SmallVector<const onnx::ValueInfoProto *> args;
  llvm::SmallVector<llvm::SmallVector<int64_t>> bounds;
  for (const auto &input : graph.input()) {
    if (initializerNames.contains(input.name()))
      continue;
    if (unsupported) {
      args.push_back(&input);
      argTypes.push_back(RankedTensorType::get({}, moduleBuilder.getF32Type()));
      bounds.emplace_back();
      continue;
    }
    if (!input.type().has_tensor_type())
      return emitError(fileLoc) << "graph input '" << input.name()
                                << "' is not a tensor (sequences, maps and "
                                   "optionals are not supported)",
             nullptr;
    const auto &tensorType = input.type().tensor_type();
    Type elementType = convertElementType(context, tensorType.elem_type());
    if (!elementType)
      return emitError(fileLoc) << "graph input '" << input.name() << "' has "
                                << elementTypeName(tensorType.elem_type())
                                << " elements, which dsc does not support",
             nullptr;
    if (!tensorType.has_shape())
      return emitError(fileLoc) << "graph input '" << input.name()
                                << "' has no shape; give it one with "
                                   "--input-shape "
                                << input.name() << "=d0,d1,...",
             nullptr;
    llvm::SmallVector<int64_t> dims, inputBounds;
    for (int axis = 0; axis < tensorType.shape().dim_size(); ++axis) {
      const auto &dim = tensorType.shape().dim(axis);
      if (dim.has_dim_value()) {
        if (dim.dim_value() < 0 || dim.dim_value() > kMaxElements)
          return emitError(fileLoc) << "graph input '" << input.name()
                                    << "' has an invalid dim " << axis << " ("
                                    << dim.dim_value() << ")",
                 nullptr;
        dims.push_back(dim.dim_value());
        inputBounds.push_back(dim.dim_value());
        continue;
      }
      dims.push_back(ShapedType::kDynamic);
      auto bound = options.dimBounds.find({input.name(), axis});
      if (bound != options.dimBounds.end())
        inputBounds.push_back(bound->second);
      else if (axis == 0)
        inputBounds.push_back(options.defaultBatchBound);
      else
        return emitError(fileLoc)
                   << "graph input '" << input.name() << "' has a dynamic dim "
                   << axis << (dim.has_dim_param() ? " ('" + dim.dim_param() + "')" : std::string())
                   << " with no bound: pin it with --input-shape "
                   << input.name() << "=d0,d1,... or bound it with --dim-bound "
                   << input.name() << ":" << axis << "=N",
               nullptr;
    }
    if (failed(elementCount(inputBounds)))
      return emitError(fileLoc) << "graph input '" << input.name()
                                << "' has an overflowing size",
             nullptr;
    args.push_back(&input);
    argTypes.push_back(RankedTensorType::get(dims, elementType));
    bounds.push_back(inputBounds);
  }
  for (const auto &[key, bound] : options.dimBounds) {
    (void)bound;
    auto *it = llvm::find_if(args, [&](auto *a) { return a->name() == key.first; });
    if (it == args.end())
      return emitError(fileLoc) << "--dim-bound names '" << key.first
                                << "', which is not an input of the model",
             nullptr;
    auto type = cast<RankedTensorType>(argTypes[it - args.begin()]);
    if (key.second >= type.getRank())
      return emitError(fileLoc) << "--dim-bound " << key.first << ":"
                                << key.second << " names axis " << key.second
                                << " of an input of rank " << type.getRank(),
             nullptr;
    if (!type.isDynamicDim(key.second))
      return emitError(fileLoc) << "--dim-bound " << key.first << ":"
                                << key.second << " names a static dim (size "
                                << type.getDimSize(key.second)
                                << "); only run-time dims take a bound",
             nullptr;
  }

  auto func = moduleBuilder.create<func::FuncOp>(
      fileLoc, "main", moduleBuilder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  // Constants go before a placeholder at the top of the entry block, in the
  // order they are first used; the graph's ops go after it.
  OpBuilder builder = OpBuilder::atBlockEnd(entry);
  Operation *constantAnchor = builder.create<ConstantOp>(
      fileLoc, DenseElementsAttr::get(
                   RankedTensorType::get({0}, builder.getF32Type()),
                   llvm::ArrayRef<float>{}));
  OpBuilder constantBuilder(constantAnchor);
  onnx_import::GraphImporter importer(context, *loaded, options, *opset,
                                      nullptr, constantBuilder);
  importer.unsupported = unsupported;
  if (failed(importer.collect(graph)))
    return {};
  for (auto [i, input] : llvm::enumerate(args)) {
    importer.values[input->name()] = entry->getArgument(i);
    func.setArgAttr(i, "dsc.name", builder.getStringAttr(input->name()));
    if (!unsupported && !RankedTensorType(cast<RankedTensorType>(argTypes[i])).hasStaticShape())
      func.setArgAttr(i, "dsc.dim_bounds",
                      builder.getDenseI64ArrayAttr(bounds[i]));
  }
  LogicalResult imported = importer.importNodes(graph, builder);
  constantAnchor->erase();
  if (failed(imported))
    return unsupported ? std::move(module) : nullptr;
  if (unsupported)
    return module;

  llvm::SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    Value value = importer.lookup(output.name());
    if (!value)
      return emitError(fileLoc) << "graph output '" << output.name()
                                << "' is not produced by any node, "
                                   "initializer or input",
             nullptr;
    results.push_back(value);
  }
  builder.create<func::ReturnOp>(fileLoc, results);
  func.setType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "dsc.name", builder.getStringAttr(output.name()));

  // Initializers no node reads must still be well-formed.
  for (const auto &init : graph.initializer())
    if (!importer.values.contains(init.name()) &&
        failed(convertTensor(init, context, loaded->folder,
                             options.resourceThreshold,
                             NameLoc::get(StringAttr::get(context, init.name())))))
      return {};
  // Constants that converters re-materialised in another form are dead.
  SmallVector<Operation *> dead;
  func.walk([&](ConstantOp constant) {
    if (constant->use_empty())
      dead.push_back(constant);
  });
  for (Operation *op : dead)
    op->erase();
  if (!checkerError.empty())
    return emitError(fileLoc) << "the ONNX checker rejects the model: "
                              << checkerError,
           nullptr;
  if (failed(verify(*module)))
    return {};
  return module;
}

OwningOpRef<ModuleOp> dsc::importONNXModel(llvm::StringRef path,
                                           MLIRContext *context,
                                           const ONNXImportOptions &options) {
  return importImpl(path, context, options, nullptr);
}

bool dsc::listUnsupportedONNXOps(llvm::StringRef path, MLIRContext *context,
                                 std::vector<UnsupportedOpReport> &result) {
  std::map<std::string, UnsupportedOpReport> unsupported;
  ONNXImportOptions options;
  options.listUnsupportedOnly = true;
  OwningOpRef<ModuleOp> module = importImpl(path, context, options, &unsupported);
  if (!module)
    return false;
  for (auto &[key, report] : unsupported)
    result.push_back(report);
  return true;
}

std::vector<ONNXOpSupport> dsc::getSupportedONNXOps() {
  std::vector<ONNXOpSupport> rows;
  for (const OpConverter &c : getOpConverters())
    rows.push_back({c.opType, c.minOpset, c.maxOpset, c.dscOps, c.notes});
  return rows;
}

const OpConverter *onnx_import::findOpConverter(llvm::StringRef opType,
                                                int64_t opset) {
  for (const OpConverter &c : getOpConverters())
    if (opType == c.opType && opset >= c.minOpset && opset <= c.maxOpset)
      return &c;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Option parsing
//===----------------------------------------------------------------------===//

std::string dsc::parseInputShapeOption(llvm::StringRef text,
                                       ONNXImportOptions &options) {
  auto [name, dimsText] = text.rsplit('=');
  if (name.empty() || dimsText.empty() || !text.contains('='))
    return "--input-shape expects NAME=d0,d1,... (got '" + text.str() + "')";
  std::vector<int64_t> dims;
  llvm::SmallVector<llvm::StringRef> parts;
  dimsText.split(parts, ',');
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part.trim().getAsInteger(10, dim) || dim < 0 || dim > kMaxElements)
      return "--input-shape: '" + part.str() + "' is not a valid dim";
    dims.push_back(dim);
  }
  options.inputShapes[name.str()] = dims;
  return "";
}

std::string dsc::parseDimBoundOption(llvm::StringRef text,
                                     ONNXImportOptions &options) {
  auto [lhs, boundText] = text.rsplit('=');
  auto [name, axisText] = lhs.rsplit(':');
  int64_t axis, bound;
  if (!text.contains('=') || !lhs.contains(':') || name.empty() ||
      axisText.getAsInteger(10, axis) || boundText.getAsInteger(10, bound) ||
      axis < 0 || bound <= 0 || bound > kMaxElements)
    return "--dim-bound expects NAME:AXIS=N with N > 0 (got '" + text.str() +
           "')";
  options.dimBounds[{name.str(), axis}] = bound;
  return "";
}
