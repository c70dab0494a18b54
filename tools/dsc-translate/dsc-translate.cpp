//===- dsc-translate.cpp - Translations into and out of dsc ----------------===//
//
//   dsc-translate --import-onnx model.onnx [-o model.mlir] [--emit-bytecode]
//       [--input-shape NAME=d0,d1,...] [--dim-bound NAME:AXIS=N]
//   dsc-translate --import-onnx --list-unsupported model.onnx
//   dsc-translate --list-onnx-ops     (the importer's table, as markdown)
//
//   dsc-translate --emit-object lowered.mlir -o model.o [--header model.h] [--name P]
//   dsc-translate --emit-executable lowered.mlir -o model [--name P]
//   dsc-translate --emit-shared lowered.mlir -o libmodel.so [--name P]
//
// Exit code 1 on any error, with the diagnostic on stderr.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "dsc/Pipelines/Registration.h"
#include "dsc/Support/Diagnostics.h"
#include "dsc/Target/Native/ObjectEmitter.h"
#include "dsc/Target/ONNX/ONNXExporter.h"
#include "dsc/Target/ONNX/ONNXImporter.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory category("dsc-translate options");

static cl::opt<std::string> inputFilename(cl::Positional,
                                          cl::desc("<input file>"),
                                          cl::init("-"), cl::cat(category));
static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"), cl::cat(category));
static cl::opt<bool> importONNX("import-onnx",
                                cl::desc("Import an ONNX model into dsc"),
                                cl::cat(category));
static cl::opt<bool> listUnsupported(
    "list-unsupported",
    cl::desc("With --import-onnx: list every op type dsc cannot import, with "
             "counts and node names; exit 1 if there is any"),
    cl::cat(category));
static cl::opt<bool> listONNXOps(
    "list-onnx-ops",
    cl::desc("Print the importer's table of supported ONNX ops (markdown)"),
    cl::cat(category));
static cl::opt<bool> emitObject(
    "emit-object",
    cl::desc("Emit an object file from a module lowered by dsc-lower-to-llvm"),
    cl::cat(category));
static cl::opt<bool> emitExecutable(
    "emit-executable",
    cl::desc("Emit an executable: the object linked with the runtime and its "
             "harness"),
    cl::cat(category));
static cl::opt<bool> emitShared(
    "emit-shared",
    cl::desc("Emit a shared library a host program can dlopen"),
    cl::cat(category));
static cl::opt<std::string> headerFilename(
    "header", cl::desc("Where to write the C header (default: beside the "
                       "output, with .h)"),
    cl::value_desc("filename"), cl::cat(category));
static cl::opt<std::string> modelName(
    "name", cl::desc("Prefix of the entry points (default: model)"),
    cl::init("model"), cl::cat(category));
static cl::opt<std::string> runtimeDir(
    "runtime-dir",
    cl::desc("Folder holding <triple>/libdsc_runtime.a (default: ../lib "
             "beside dsc-translate)"),
    cl::cat(category));
static cl::opt<bool> exportONNX(
    "export-onnx",
    cl::desc("Write a dsc module (before lowering) as an ONNX model"),
    cl::cat(category));
static cl::opt<bool> keepNames(
    "keep-names",
    cl::desc("With --import-onnx: print locations, so the ONNX node names reach the "
             "next tool (dsc-opt keeps them with --mlir-print-debuginfo); calibration "
             "profiles and per-layer fidelity key tensors by them"),
    cl::cat(category));
static cl::opt<bool> emitBytecode("emit-bytecode",
                                  cl::desc("Write MLIR bytecode, not text"),
                                  cl::cat(category));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Pin the dims of a graph input: NAME=d0,d1,..."),
                cl::cat(category));
static cl::list<std::string> dimBounds(
    "dim-bound",
    cl::desc("Compile-time bound of a run-time dim: NAME:AXIS=N"),
    cl::cat(category));

static int printSupportedOps(raw_ostream &outs) {
  outs << "# Supported ONNX ops\n\n"
         << "Generated from the importer's table (lib/Target/ONNX/"
            "OpConverters.cpp) by\n`build/bin/dsc-translate --list-onnx-ops "
            "> docs/ops.md`; a lit test keeps it\nup to date. All ops are in "
            "the default domain (ai.onnx); dsc imports opsets 7\nto 21 and IR "
            "versions up to 10. An op outside this table, or at an opset\n"
            "outside its range, is refused with the node's name (see\n"
            "`dsc-translate --import-onnx --list-unsupported MODEL`).\n\n";
  outs << "| ONNX op | opsets | dsc op | notes |\n|---|---|---|---|\n";
  for (const auto &row : dsc::getSupportedONNXOps())
    outs << "| " << row.opType << " | " << row.minOpset << "-"
           << row.maxOpset << " | `" << row.dscOps << "` | " << row.notes
           << " |\n";
  return 0;
}

/// Writes `bytes` to `path` (refusing "-" for binary files).
static bool writeFile(StringRef path, StringRef bytes) {
  std::string errorMessage;
  auto output = mlir::openOutputFile(path, &errorMessage);
  if (!output) {
    errs() << "dsc-translate: " << errorMessage << "\n";
    return false;
  }
  output->os() << bytes;
  output->keep();
  return true;
}

/// The native emissions: object (+ header), executable or shared library.
static int emitNative(mlir::MLIRContext &context, const char *argv0) {
  llvm::SourceMgr sourceMgr;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(inputFilename, sourceMgr,
                                            mlir::ParserConfig(&context));
  if (!module)
    return 1;
  if (outputFilename == "-") {
    errs() << "dsc-translate: native output needs a file name (-o)\n";
    return 1;
  }
  dsc::NativeEmitOptions options;
  options.prefix = modelName;
  options.withHarnessMain = emitExecutable;
  std::string object, header;
  if (mlir::failed(dsc::emitNativeObject(*module, options, object, header)))
    return 1;
  std::string headerPath = headerFilename;
  if (headerPath.empty()) {
    SmallString<256> path(outputFilename);
    llvm::sys::path::replace_extension(path, ".h");
    headerPath = std::string(path);
  }
  if (emitObject)
    return writeFile(outputFilename, object) && writeFile(headerPath, header) ? 0 : 1;

  // Link through a temporary object file.
  SmallString<256> objectPath;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("dsc-model", "o", fd, objectPath)) {
    errs() << "dsc-translate: cannot create a temporary file\n";
    return 1;
  }
  llvm::FileRemover removeObject(objectPath);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << object;
  }
  std::string runtime = runtimeDir;
  if (runtime.empty()) {
    SmallString<256> self(
        llvm::sys::fs::getMainExecutable(argv0, (void *)&emitNative));
    llvm::sys::path::remove_filename(self);
    llvm::sys::path::append(self, "..", "lib");
    runtime = std::string(self);
  }
  if (mlir::failed(dsc::linkNative(*module, objectPath, outputFilename, runtime,
                                   emitShared)))
    return 1;
  return writeFile(headerPath, header) ? 0 : 1;
}

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "dsc translation tool\n");

  if (listONNXOps) {
    std::string errorMessage;
    auto output = mlir::openOutputFile(outputFilename, &errorMessage);
    if (!output) {
      errs() << "dsc-translate: " << errorMessage << "\n";
      return 1;
    }
    printSupportedOps(output->os());
    output->keep();
    return 0;
  }
  int translations = importONNX + exportONNX + emitObject + emitExecutable + emitShared;
  if (translations != 1) {
    errs() << "dsc-translate: choose one translation (--import-onnx, --export-onnx, "
              "--emit-object, --emit-executable or --emit-shared)\n";
    return 1;
  }

  mlir::DialectRegistry registry;
  dsc::registerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadDialect<dsc::DSCDialect>();
  // Diagnostics on stderr as "dsc-translate: error: <message>".
  dsc::installToolDiagnosticHandler(context, "dsc-translate");

  if (exportONNX) {
    llvm::SourceMgr sourceMgr;
    mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceFile<mlir::ModuleOp>(
        inputFilename, sourceMgr, mlir::ParserConfig(&context));
    if (!module)
      return 1;
    if (outputFilename == "-") {
      errs() << "dsc-translate: --export-onnx writes a binary file: name it with -o\n";
      return 1;
    }
    std::string bytes;
    if (mlir::failed(dsc::exportONNXModel(*module, bytes)))
      return 1;
    return writeFile(outputFilename, bytes) ? 0 : 1;
  }
  if (!importONNX)
    return emitNative(context, argv[0]);
  if (inputFilename == "-") {
    errs() << "dsc-translate: --import-onnx needs the model's path (external "
              "data is resolved relative to it)\n";
    return 1;
  }

  if (listUnsupported) {
    std::vector<dsc::UnsupportedOpReport> unsupported;
    if (!dsc::listUnsupportedONNXOps(inputFilename, &context, unsupported))
      return 1;
    if (unsupported.empty()) {
      outs() << "every op in '" << inputFilename << "' is supported\n";
      return 0;
    }
    outs() << "unsupported ops in '" << inputFilename << "':\n";
    for (const auto &op : unsupported) {
      outs() << "  " << op.opType << " (domain " << op.domain << ", opset "
             << op.opset << "): " << op.nodeNames.size() << " node"
             << (op.nodeNames.size() == 1 ? "" : "s") << ":";
      for (const auto &name : op.nodeNames)
        outs() << " " << name;
      outs() << "\n";
    }
    return 1;
  }

  dsc::ONNXImportOptions options;
  for (const auto &text : inputShapes)
    if (std::string error = dsc::parseInputShapeOption(text, options);
        !error.empty()) {
      errs() << "dsc-translate: error: " << error << "\n";
      return 1;
    }
  for (const auto &text : dimBounds)
    if (std::string error = dsc::parseDimBoundOption(text, options);
        !error.empty()) {
      errs() << "dsc-translate: error: " << error << "\n";
      return 1;
    }

  mlir::OwningOpRef<mlir::ModuleOp> module =
      dsc::importONNXModel(inputFilename, &context, options);
  if (!module)
    return 1;

  std::string errorMessage;
  auto output = mlir::openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    errs() << "dsc-translate: " << errorMessage << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (mlir::failed(mlir::writeBytecodeToFile(*module, output->os())))
      return 1;
  } else {
    mlir::OpPrintingFlags flags;
    if (keepNames)
      flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
    module->print(output->os(), flags);
    output->os() << "\n";
  }
  output->keep();
  return 0;
}
