//===- ObjectEmitter.cpp - LLVM-dialect module to an object file -----------===//
//
// In-process code generation through llvm::TargetMachine:
//   translateModuleToLLVMIR -> add the model descriptor and entry wrapper ->
//   O3 module pipeline -> object file for the recorded triple and CPU.
// The descriptor (`<prefix>_model`) lists the inputs and outputs with names,
// ONNX element types and shapes, the CPU features the code needs (the
// runtime checks them before running), and `<prefix>_entry`, which unpacks
// the runtime's pointer array into the bare-pointer call of the model.
//
//===----------------------------------------------------------------------===//

#include "dsc/Target/Native/ObjectEmitter.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "dsc/Support/ElementTypes.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

#include <algorithm>
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace {

const char *cTypeName(int32_t dataType) {
  switch (dataType) {
  case 1:
    return "float";
  case 2:
    return "uint8_t";
  case 3:
    return "int8_t";
  case 4:
    return "uint16_t";
  case 5:
    return "int16_t";
  case 6:
    return "int32_t";
  case 7:
    return "int64_t";
  case 9:
    return "bool";
  case 10:
    return "uint16_t /* float16 */";
  case 11:
    return "double";
  case 12:
    return "uint32_t";
  case 13:
    return "uint64_t";
  default:
    return "void";
  }
}

/// One input or output as recorded by dsc-record-interface.
struct TensorDesc {
  std::string name;
  int32_t dataType;
  SmallVector<int64_t> shape;   // bounds of run-time dims
  SmallVector<int64_t> dynamic; // 1 for run-time dims
};

FailureOr<SmallVector<TensorDesc>> readInterface(ModuleOp module,
                                                 StringRef attrName) {
  auto entries = module->getAttrOfType<ArrayAttr>(attrName);
  if (!entries)
    return module.emitError() << "the module has no '" << attrName
                              << "' attribute: lower it with "
                                 "dsc-opt --dsc-lower-to-llvm first",
           failure();
  SmallVector<TensorDesc> result;
  for (Attribute entry : entries) {
    auto dict = cast<DictionaryAttr>(entry);
    auto type = cast<RankedTensorType>(
        cast<TypeAttr>(dict.get("type")).getValue());
    TensorDesc desc;
    desc.name = cast<StringAttr>(dict.get("name")).str();
    desc.dataType = dsc::onnxDataType(type.getElementType());
    auto bounds = dyn_cast_or_null<DenseI64ArrayAttr>(dict.get("bounds"));
    for (int64_t d = 0; d < type.getRank(); ++d) {
      bool isDynamic = type.isDynamicDim(d);
      desc.dynamic.push_back(isDynamic);
      desc.shape.push_back(isDynamic ? (bounds ? bounds[d] : 1)
                                     : type.getDimSize(d));
    }
    if (desc.dataType == 0)
      return module.emitError() << "tensor '" << desc.name
                                << "' has an element type the runtime "
                                   "cannot describe: "
                                << type.getElementType(),
             failure();
    result.push_back(std::move(desc));
  }
  return result;
}

/// The CPU features (runtime spelling) the code generated for `tm` needs.
std::string requiredFeatures(llvm::TargetMachine &tm, bool isX86) {
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  SmallVector<std::pair<const char *, const char *>> candidates;
  if (isX86)
    candidates = {{"avx", "avx"},           {"avx2", "avx2"},
                  {"fma", "fma"},           {"f16c", "f16c"},
                  {"avx512f", "avx512f"},   {"avx512bw", "avx512bw"},
                  {"avx512vl", "avx512vl"}, {"avx512dq", "avx512dq"},
                  {"avx512vnni", "avx512vnni"}};
  else
    candidates = {{"neon", "neon"},
                  {"dotprod", "dotprod"},
                  {"fullfp16", "fp16"},
                  {"i8mm", "i8mm"},
                  {"sve", "sve"}};
  SmallVector<std::string> needed;
  for (auto [llvmName, runtimeName] : candidates)
    if (sti->checkFeatures(std::string("+") + llvmName))
      needed.push_back(runtimeName);
  return llvm::join(needed, ",");
}

/// "<node> (<kernel>)" for each kernel call of the model, in the order a
/// run makes them, as the lowering recorded them (none when a kernel call
/// sits in a branch or loop of the model).
std::vector<std::string> kernelCallNames(ModuleOp module) {
  std::vector<std::string> names;
  if (auto table = module->getAttrOfType<ArrayAttr>("dsc.kernel_calls"))
    for (auto name : table.getAsValueRange<StringAttr>())
      names.push_back(name.str());
  return names;
}

llvm::GlobalVariable *stringGlobal(llvm::Module &m, StringRef text,
                                   const Twine &name) {
  llvm::Constant *init =
      llvm::ConstantDataArray::getString(m.getContext(), text, true);
  return new llvm::GlobalVariable(m, init->getType(), true,
                                  llvm::GlobalValue::PrivateLinkage, init, name);
}

/// Builds `dsc_tensor_info[]` for `tensors`; returns the array global.
llvm::GlobalVariable *tensorInfoArray(llvm::Module &m,
                                      ArrayRef<TensorDesc> tensors,
                                      llvm::StructType *infoType,
                                      const Twine &name) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::Type *i32 = llvm::Type::getInt32Ty(ctx);
  SmallVector<llvm::Constant *> infos;
  for (auto [i, t] : llvm::enumerate(tensors)) {
    auto shapeInit = llvm::ConstantDataArray::get(ctx, ArrayRef<int64_t>(t.shape));
    auto *shape = new llvm::GlobalVariable(
        m, shapeInit->getType(), true, llvm::GlobalValue::PrivateLinkage,
        shapeInit, name + ".shape" + Twine(i));
    auto dynInit = llvm::ConstantDataArray::get(ctx, ArrayRef<int64_t>(t.dynamic));
    auto *dynamic = new llvm::GlobalVariable(
        m, dynInit->getType(), true, llvm::GlobalValue::PrivateLinkage, dynInit,
        name + ".dynamic" + Twine(i));
    infos.push_back(llvm::ConstantStruct::get(
        infoType, {stringGlobal(m, t.name, name + ".name" + Twine(i)),
                   llvm::ConstantInt::get(i32, t.dataType),
                   llvm::ConstantInt::get(i32, t.shape.size()), shape, dynamic}));
  }
  auto *arrayType = llvm::ArrayType::get(infoType, infos.size());
  return new llvm::GlobalVariable(m, arrayType, true,
                                  llvm::GlobalValue::PrivateLinkage,
                                  llvm::ConstantArray::get(arrayType, infos), name);
}

std::string sanitizeIdentifier(StringRef text) {
  std::string out;
  for (char c : text)
    out += llvm::isAlnum(c) ? c : '_';
  return out;
}

/// The target machine for `triple` and `cpu` ("native": this host's), with
/// mul+add contracting into FMA as ONNX Runtime's kernels do; sets `cpu`
/// to the resolved name.
std::unique_ptr<llvm::TargetMachine> makeTargetMachine(ModuleOp module,
                                                       const std::string &triple,
                                                       std::string &cpu) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    module.emitError() << "no LLVM target for '" << triple << "': " << error;
    return nullptr;
  }
  if (cpu == "native")
    cpu = llvm::sys::getHostCPUName().str();
  llvm::TargetOptions targetOptions;
  targetOptions.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  // x86: the loop vectorizer may not use gathers and scatters. The loops
  // between the kernels walk short rows (a 34-float padded row, a 16-pixel
  // strided output); with gathers allowed LLVM unrolls the row and
  // vectorizes the loop around it into gathers and scatters, one element
  // per lane, which AMD's Zen cores (and Intel's since the Downfall
  // microcode) run little faster than scalar code.
  std::string features =
      llvm::Triple(triple).isX86() ? "+prefer-no-gather,+prefer-no-scatter" : "";
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    module.emitError() << "cannot create a target machine for " << triple << " cpu " << cpu;
  return tm;
}

/// Code generation of `llvmModule` into object bytes.
LogicalResult emitObjectBytes(ModuleOp module, llvm::TargetMachine &tm,
                              llvm::Module &llvmModule, std::string &objectBytes) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager codegen;
  if (tm.addPassesToEmitFile(codegen, stream, nullptr, llvm::CodeGenFileType::ObjectFile))
    return module.emitError() << "the target cannot emit object files";
  codegen.run(llvmModule);
  objectBytes.assign(buffer.begin(), buffer.end());
  return success();
}

} // namespace

LogicalResult dsc::emitHarnessMainObject(ModuleOp module, StringRef prefix,
                                         std::string &objectBytes) {
  auto tripleAttr = module->getAttrOfType<StringAttr>("dsc.target_triple");
  auto cpuAttr = module->getAttrOfType<StringAttr>("dsc.target_cpu");
  if (!tripleAttr || !cpuAttr)
    return module.emitError() << "the module records no target: lower it "
                                 "with dsc-opt --dsc-lower-to-llvm first";
  std::string triple = tripleAttr.str(), cpu = cpuAttr.str();
  std::unique_ptr<llvm::TargetMachine> tm = makeTargetMachine(module, triple, cpu);
  if (!tm)
    return failure();
  llvm::LLVMContext ctx;
  llvm::Module llvmModule("dsc_harness_main", ctx);
  llvmModule.setDataLayout(tm->createDataLayout());
  llvmModule.setTargetTriple(triple);
  llvm::IRBuilder<> ir(ctx);
  llvm::Type *ptr = llvm::PointerType::get(ctx, 0);
  llvm::Type *i32 = llvm::Type::getInt32Ty(ctx);
  // int main(int argc, char **argv) {
  //   return dsc_harness_main(argc, argv, &<prefix>_model); }
  auto *descriptor = new llvm::GlobalVariable(
      llvmModule, llvm::Type::getInt8Ty(ctx), /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage, nullptr, (prefix + "_model").str());
  auto *harnessType = llvm::FunctionType::get(i32, {i32, ptr, ptr}, false);
  llvm::FunctionCallee harness = llvmModule.getOrInsertFunction("dsc_harness_main", harnessType);
  auto *mainFn = llvm::Function::Create(llvm::FunctionType::get(i32, {i32, ptr}, false),
                                        llvm::GlobalValue::ExternalLinkage, "main", llvmModule);
  ir.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", mainFn));
  ir.CreateRet(ir.CreateCall(harness, {mainFn->getArg(0), mainFn->getArg(1), descriptor}));
  if (llvm::verifyModule(llvmModule, &llvm::errs()))
    return module.emitError() << "internal error: the harness main does not verify";
  return emitObjectBytes(module, *tm, llvmModule, objectBytes);
}

LogicalResult dsc::emitNativeObject(ModuleOp module,
                                    const NativeEmitOptions &options,
                                    std::string &objectBytes,
                                    std::string &header) {
  auto tripleAttr = module->getAttrOfType<StringAttr>("dsc.target_triple");
  auto cpuAttr = module->getAttrOfType<StringAttr>("dsc.target_cpu");
  if (!tripleAttr || !cpuAttr)
    return module.emitError() << "the module records no target: lower it "
                                 "with dsc-opt --dsc-lower-to-llvm first";
  auto inputs = readInterface(module, "dsc.inputs");
  auto outputs = readInterface(module, "dsc.outputs");
  if (failed(inputs) || failed(outputs))
    return failure();
  for (char c : options.prefix)
    if (!llvm::isAlnum(c) && c != '_')
      return module.emitError() << "--name '" << options.prefix
                                << "' is not a C identifier";

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "dsc_model");
  if (!llvmModule)
    return module.emitError() << "translation to LLVM IR failed";

  std::string triple = tripleAttr.str();
  std::string cpu = cpuAttr.str();
  std::unique_ptr<llvm::TargetMachine> tm = makeTargetMachine(module, triple, cpu);
  if (!tm)
    return failure();
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(triple);

  // The model function: internal, renamed after the prefix.
  llvm::Function *forward = llvmModule->getFunction("dsc_forward");
  if (!forward)
    return module.emitError() << "the module has no dsc_forward function";
  std::string prefix = options.prefix;
  forward->setName(prefix + "_forward");
  forward->setLinkage(llvm::GlobalValue::InternalLinkage);
  uint64_t arenaSize = 0;
  if (auto arena = module->getAttrOfType<IntegerAttr>("dsc.arena_size"))
    arenaSize = arena.getInt();
  // Inputs, outputs, then the arena when the memory plan made one.
  size_t numArgs = inputs->size() + outputs->size() + (arenaSize ? 1 : 0);
  if (forward->arg_size() != numArgs)
    return module.emitError()
           << "the lowered model takes " << forward->arg_size()
           << " pointers, expected one per input and output and the arena ("
           << numArgs << "): was it lowered with bare-pointer calls?";
  // Give every CPU-specific function the target's attributes.
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", cpu);
  }

  llvm::LLVMContext &ctx = llvmContext;
  llvm::IRBuilder<> ir(ctx);
  llvm::Type *ptr = llvm::PointerType::get(ctx, 0);
  llvm::Type *i32 = llvm::Type::getInt32Ty(ctx);
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);

  // int32_t <prefix>_entry(void **args): forward(args[0], ..., args[n-1]).
  auto *entryType = llvm::FunctionType::get(i32, {ptr}, false);
  auto *entry = llvm::Function::Create(entryType, llvm::GlobalValue::ExternalLinkage,
                                       prefix + "_entry", *llvmModule);
  entry->addFnAttr("target-cpu", cpu);
  ir.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", entry));
  SmallVector<llvm::Value *> callArgs;
  for (size_t i = 0; i < numArgs; ++i) {
    llvm::Value *slot = ir.CreateConstGEP1_64(ptr, entry->getArg(0), i);
    callArgs.push_back(ir.CreateLoad(ptr, slot));
  }
  ir.CreateCall(forward, callArgs);
  ir.CreateRet(llvm::ConstantInt::get(i32, 0));

  // The descriptor.
  auto *infoType = llvm::StructType::create(ctx, {ptr, i32, i32, ptr, ptr},
                                            "dsc_tensor_info");
  auto *modelType = llvm::StructType::create(
      ctx, {ptr, i32, i32, ptr, ptr, i64, ptr, ptr, ptr, ptr, i32, i64}, "dsc_model");
  // dsc-split-batch: the entry computes one sample of a batch of at most N.
  int64_t perSample = 0;
  if (auto bound = module->getAttrOfType<IntegerAttr>("dsc.per_sample"))
    perSample = bound.getInt();
  // The kernel calls' names, for --profile.
  std::vector<std::string> callNames = kernelCallNames(module);
  llvm::Constant *callTable = llvm::ConstantPointerNull::get(llvm::PointerType::get(ctx, 0));
  if (!callNames.empty()) {
    SmallVector<llvm::Constant *> entries;
    for (auto [i, name] : llvm::enumerate(callNames))
      entries.push_back(stringGlobal(*llvmModule, name, prefix + ".call" + Twine(i)));
    auto *arrayType = llvm::ArrayType::get(ptr, entries.size());
    callTable = new llvm::GlobalVariable(*llvmModule, arrayType, true,
                                         llvm::GlobalValue::PrivateLinkage,
                                         llvm::ConstantArray::get(arrayType, entries),
                                         prefix + ".calls");
  }
  bool isX86 = StringRef(triple).starts_with("x86_64");
  std::string features = requiredFeatures(*tm, isX86);
  auto *inputInfos = tensorInfoArray(*llvmModule, *inputs, infoType, prefix + ".inputs");
  auto *outputInfos =
      tensorInfoArray(*llvmModule, *outputs, infoType, prefix + ".outputs");
  auto *descriptor = new llvm::GlobalVariable(
      *llvmModule, modelType, true, llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantStruct::get(
          modelType,
          {stringGlobal(*llvmModule, prefix, prefix + ".name"),
           llvm::ConstantInt::get(i32, inputs->size()),
           llvm::ConstantInt::get(i32, outputs->size()), inputInfos, outputInfos,
           llvm::ConstantInt::get(i64, arenaSize),
           stringGlobal(*llvmModule, triple, prefix + ".triple"),
           stringGlobal(*llvmModule, features, prefix + ".features"), entry, callTable,
           llvm::ConstantInt::get(i32, callNames.size()),
           llvm::ConstantInt::get(i64, perSample)}),
      prefix + "_model");

  if (options.withHarnessMain) {
    // int main(int argc, char **argv) {
    //   return dsc_harness_main(argc, argv, &<prefix>_model); }
    auto *harnessType = llvm::FunctionType::get(i32, {i32, ptr, ptr}, false);
    llvm::FunctionCallee harness =
        llvmModule->getOrInsertFunction("dsc_harness_main", harnessType);
    auto *mainFn = llvm::Function::Create(
        llvm::FunctionType::get(i32, {i32, ptr}, false),
        llvm::GlobalValue::ExternalLinkage, "main", *llvmModule);
    ir.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", mainFn));
    ir.CreateRet(ir.CreateCall(
        harness, {mainFn->getArg(0), mainFn->getArg(1), descriptor}));
  }

  if (llvm::verifyModule(*llvmModule, &llvm::errs()))
    return module.emitError() << "internal error: the generated LLVM IR does "
                                 "not verify";

  // O3, then code generation.
  {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PipelineTuningOptions tuning;
    tuning.LoopVectorization = true;
    tuning.SLPVectorization = true;
    llvm::PassBuilder pb(tm.get(), tuning);
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    static const llvm::OptimizationLevel levels[] = {
        llvm::OptimizationLevel::O0, llvm::OptimizationLevel::O1,
        llvm::OptimizationLevel::O2, llvm::OptimizationLevel::O3};
    llvm::OptimizationLevel level = levels[std::clamp(options.optimizationLevel, 0, 3)];
    llvm::ModulePassManager mpm = level == llvm::OptimizationLevel::O0
                                      ? pb.buildO0DefaultPipeline(level)
                                      : pb.buildPerModuleDefaultPipeline(level);
    mpm.run(*llvmModule, mam);
  }
  if (failed(emitObjectBytes(module, *tm, *llvmModule, objectBytes)))
    return failure();

  // The header.
  llvm::raw_string_ostream h(header);
  std::string guard = sanitizeIdentifier(llvm::StringRef(prefix).upper()) + "_H";
  h << "/* Generated by dsc-translate for model '" << prefix << "' ("
    << triple << ", cpu " << cpu << "). */\n"
    << "#ifndef " << guard << "\n#define " << guard << "\n\n"
    << "#include <dsc/runtime.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
    << "/* Scratch memory one run needs (bytes); pass an arena this large to\n"
    << "   dsc_instance_create, or NULL to let the runtime allocate it once. */\n"
    << "#define " << llvm::StringRef(prefix).upper() << "_ARENA_SIZE "
    << arenaSize << "u\n"
    << "/* CPU features the code needs: \"" << features << "\" */\n\n";
  auto describe = [&](StringRef kind, ArrayRef<TensorDesc> tensors) {
    for (auto [i, t] : llvm::enumerate(tensors)) {
      h << "/* " << kind << " " << i << ": \"" << t.name << "\", "
        << cTypeName(t.dataType) << "[";
      for (auto [d, dim] : llvm::enumerate(t.shape))
        h << (d ? "][" : "") << (t.dynamic[d] ? "<=" : "") << dim;
      h << "] */\n";
    }
  };
  describe("input", *inputs);
  describe("output", *outputs);
  if (perSample)
    h << "/* Axis 0 (<=" << perSample << ") is a run-time batch: dsc_run_batch(instance, n, "
      << "inputs, outputs)\n   runs n samples; the entry below computes one. */\n";
  h << "\n/* The model: pass it to dsc_instance_create (see dsc/runtime.h). */\n"
    << "extern const dsc_model " << prefix << "_model;\n"
    << "/* Runs once: args = input pointers, output pointers, arena. */\n"
    << "int32_t " << prefix << "_entry(void **args);\n\n"
    << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return success();
}

LogicalResult dsc::linkNative(ModuleOp module, StringRef objectPath,
                              StringRef outputPath, StringRef runtimeDir,
                              bool shared) {
  return linkNative(module, ArrayRef<std::string>{objectPath.str()}, outputPath, runtimeDir,
                    shared);
}

LogicalResult dsc::linkNative(ModuleOp module, ArrayRef<std::string> objectPaths,
                              StringRef outputPath, StringRef runtimeDir, bool shared) {
  auto tripleAttr = module->getAttrOfType<StringAttr>("dsc.target_triple");
  if (!tripleAttr)
    return module.emitError() << "the module records no target";
  std::string triple = tripleAttr.str();
  bool isHost = StringRef(llvm::sys::getDefaultTargetTriple()).starts_with(
      StringRef(triple).split('-').first);
  // The host's C compiler, or the cross compiler for aarch64 (or clang-19
  // with --target and lld-19 when the GNU cross toolchain is missing).
  SmallVector<std::string> candidates;
  if (isHost)
    candidates = {"cc", "gcc", "clang-19"};
  else
    candidates = {triple + "-gcc", "clang-19"};
  std::string compiler;
  for (const std::string &c : candidates)
    if (auto found = llvm::sys::findProgramByName(c)) {
      compiler = *found;
      break;
    }
  if (compiler.empty())
    return module.emitError() << "no C compiler to link for " << triple
                              << " (looked for " << llvm::join(candidates, ", ")
                              << ")";
  llvm::SmallString<256> runtimeLib(runtimeDir);
  llvm::sys::path::append(runtimeLib, triple, "libdsc_runtime.a");
  if (!llvm::sys::fs::exists(runtimeLib))
    return module.emitError() << "the runtime for " << triple
                              << " is missing: " << runtimeLib;
  SmallVector<std::string> args = {compiler};
  if (StringRef(compiler).contains("clang") && !isHost) {
    args.push_back("--target=" + triple);
    args.push_back("-fuse-ld=lld");
  }
  if (shared)
    args.push_back("-shared");
  args.append(objectPaths.begin(), objectPaths.end());
  args.append({runtimeLib.str().str(), "-lm", "-lpthread", "-o", outputPath.str()});
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string errorMessage;
  int rc = llvm::sys::ExecuteAndWait(compiler, argRefs, std::nullopt, {}, 0, 0,
                                     &errorMessage);
  if (rc != 0)
    return module.emitError() << "linking failed (" << llvm::join(args, " ")
                              << ")" << (errorMessage.empty() ? "" : ": ")
                              << errorMessage;
  return success();
}
