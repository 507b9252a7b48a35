//===- Target.cpp - objects, model libraries and headers ------------------===//

#include "kiln/Target/Target.h"

#include "Kiln/IR/KilnOps.h"
#include "kiln/Codegen/Passes.h"
#include "kiln/Frontend/ONNX.h"
#include "kiln/runtime.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {
// The runtime's public header, embedded so generated headers stand alone.
#include "RuntimeHeader.inc"
} // namespace

std::string mlir::kiln::sanitizeIdentifier(StringRef name) {
  std::string id;
  for (char c : name)
    id += llvm::isAlnum(c) ? c : '_';
  if (id.empty() || llvm::isDigit(id[0]))
    id = "m_" + id;
  return id;
}

/// kiln_dtype_t (ONNX TensorProto numbering) of an element type; 0 if none.
static int32_t dtypeOf(Type t) {
  if (t.isF32())
    return 1;
  if (t.isF64())
    return 11;
  if (t.isF16())
    return 10;
  if (t.isBF16())
    return 16;
  if (t.isInteger(1))
    return 9;
  // isInteger(N) matches any signedness: unsigned first.
  if (t.isUnsignedInteger(8))
    return 2;
  if (t.isUnsignedInteger(16))
    return 4;
  if (t.isUnsignedInteger(32))
    return 12;
  if (t.isUnsignedInteger(64))
    return 13;
  if (t.isInteger(8))
    return 3;
  if (t.isInteger(16))
    return 5;
  if (t.isInteger(32))
    return 6;
  if (t.isInteger(64))
    return 7;
  return 0;
}

FailureOr<ModelSignature> mlir::kiln::getModelSignature(ModuleOp module,
                                                        StringRef name) {
  auto func = module.lookupSymbol<func::FuncOp>(kEntryName);
  if (!func)
    return module.emitError("no entry function @") << kEntryName;
  ModelSignature sig;
  sig.name = sanitizeIdentifier(name);
  auto describe = [&](Type type, DictionaryAttr attrs, const Twine &dflt,
                      TensorSignature &out) -> LogicalResult {
    auto t = dyn_cast<RankedTensorType>(type);
    if (!t || !t.hasStaticShape())
      return func.emitError("entry tensor '") << dflt << "' must have a "
                                              << "static shape, got " << type;
    out.dtype = dtypeOf(t.getElementType());
    if (!out.dtype)
      return func.emitError("unsupported element type ")
             << t.getElementType() << " at the model boundary";
    out.shape.assign(t.getShape().begin(), t.getShape().end());
    auto n = attrs ? attrs.getAs<StringAttr>(kNameAttr) : StringAttr();
    out.name = n ? n.str() : dflt.str();
    return success();
  };
  FunctionType ft = func.getFunctionType();
  for (unsigned i = 0; i < ft.getNumInputs(); ++i)
    if (failed(describe(ft.getInput(i), func.getArgAttrDict(i),
                        "input_" + Twine(i), sig.inputs.emplace_back())))
      return failure();
  for (unsigned i = 0; i < ft.getNumResults(); ++i)
    if (failed(describe(ft.getResult(i), func.getResultAttrDict(i),
                        "output_" + Twine(i), sig.outputs.emplace_back())))
      return failure();
  module.walk([&](ConstantOp c) {
    auto t = cast<ShapedType>(c.getType());
    unsigned bits = t.getElementType().getIntOrFloatBitWidth();
    sig.weightsBytes += t.getNumElements() * ((bits + 7) / 8);
  });
  return sig;
}

std::unique_ptr<llvm::TargetMachine>
mlir::kiln::createTargetMachine(const TargetOptions &options,
                                std::string &error) {
  static bool initialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)initialized;
  llvm::Triple triple(options.triple.empty()
                          ? llvm::sys::getDefaultTargetTriple()
                          : options.triple);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpu = options.cpu, features;
  bool host = cpu.empty() || cpu == "host" || cpu == "native";
  if (host && options.triple.empty()) {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures f;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      f.AddFeature(feature.first(), feature.second);
    features = f.getString();
  } else if (host) {
    cpu = "generic";
  } else {
    // LLVM only warns about an unknown CPU, then may abort in codegen.
    std::unique_ptr<llvm::MCSubtargetInfo> sti(
        target->createMCSubtargetInfo(triple, "", ""));
    if (sti && !sti->isCPUStringValid(cpu)) {
      error = "unknown --target-cpu '" + cpu + "' for target " + triple.str();
      return nullptr;
    }
  }
  llvm::TargetOptions to;
  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple, cpu, features, to, llvm::Reloc::PIC_,
                                  std::nullopt, options.optLevel));
  if (!tm)
    error = "cannot create a target machine for " + triple.str();
  return tm;
}

VectorRegisters mlir::kiln::getVectorRegisters(const llvm::TargetMachine &tm) {
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  const llvm::Triple &triple = tm.getTargetTriple();
  if (triple.isX86()) {
    if (sti->checkFeatures("+avx512f"))
      return {512, 32};
    if (sti->checkFeatures("+avx"))
      return {256, 16};
    return {128, 16};
  }
  if (triple.isAArch64())
    return {128, 32};
  return {128, 16};
}

/// A private constant global holding `data`.
static llvm::Constant *privateGlobal(llvm::Module &m, llvm::Constant *init,
                                     const Twine &name) {
  return new llvm::GlobalVariable(m, init->getType(), /*isConstant=*/true,
                                  llvm::GlobalValue::PrivateLinkage, init,
                                  name);
}

/// Calls of the loop bodies outlined by kiln-outline-parallel-loops
/// (`kiln_par_N(captures..., begin, end)`, called over [0, count)) become
/// kiln_parallel_for(ctx, count, trampoline, captures): the trampoline
/// unpacks the captures (8-byte slots) and runs the body on a chunk.
/// kiln-mark-kernels' `kiln_kernel_mark(i32)` becomes a call of the
/// runtime's kiln_profile_mark with the running session.
static void defineKernelMarks(llvm::Module &m, llvm::GlobalVariable *ctxSlot) {
  llvm::Function *mark = m.getFunction("kiln_kernel_mark");
  if (!mark || !mark->isDeclaration())
    return;
  llvm::LLVMContext &ctx = m.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  llvm::FunctionCallee profileMark = m.getOrInsertFunction(
      "kiln_profile_mark",
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                              {ptr, llvm::Type::getInt32Ty(ctx)}, false));
  mark->setLinkage(llvm::GlobalValue::InternalLinkage);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", mark));
  b.CreateCall(profileMark, {b.CreateLoad(ptr, ctxSlot), mark->getArg(0)});
  b.CreateRetVoid();
}

static void dispatchParallelLoops(llvm::Module &m,
                                  llvm::GlobalVariable *ctxSlot) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  llvm::FunctionCallee parallelFor = m.getOrInsertFunction(
      "kiln_parallel_for",
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, i64, ptr, ptr},
                              false));
  SmallVector<llvm::Function *> bodies;
  for (llvm::Function &f : m)
    if (!f.isDeclaration() && f.getName().starts_with(kParallelBodyPrefix))
      bodies.push_back(&f);
  for (llvm::Function *body : bodies) {
    unsigned numCaptures = body->arg_size() - 2;
    auto *tramp = llvm::Function::Create(
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, i64, i64},
                                false),
        llvm::GlobalValue::InternalLinkage, body->getName() + "_chunk", m);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", tramp));
    SmallVector<llvm::Value *> args;
    for (unsigned i = 0; i < numCaptures; ++i) {
      llvm::Type *t = body->getArg(i)->getType();
      llvm::Value *slot =
          b.CreateConstInBoundsGEP1_64(i64, tramp->getArg(0), i);
      args.push_back(b.CreateLoad(t, slot));
    }
    args.push_back(tramp->getArg(1));
    args.push_back(tramp->getArg(2));
    b.CreateCall(body, args);
    b.CreateRetVoid();

    for (llvm::User *user : llvm::make_early_inc_range(body->users())) {
      auto *call = dyn_cast<llvm::CallInst>(user);
      if (!call || call->getCalledFunction() != body ||
          call->getFunction() == tramp)
        continue;
      llvm::Function *caller = call->getFunction();
      llvm::IRBuilder<> entryB(&*caller->getEntryBlock().getFirstInsertionPt());
      llvm::Value *slots = entryB.CreateAlloca(
          i64, llvm::ConstantInt::get(i64, std::max(numCaptures, 1u)));
      llvm::IRBuilder<> cb(call);
      for (unsigned i = 0; i < numCaptures; ++i)
        cb.CreateStore(call->getArgOperand(i),
                       cb.CreateConstInBoundsGEP1_64(i64, slots, i));
      llvm::Value *count = call->getArgOperand(numCaptures + 1);
      cb.CreateCall(parallelFor,
                    {cb.CreateLoad(ptr, ctxSlot), count, tramp, slots});
      call->eraseFromParent();
    }
  }
}

std::unique_ptr<llvm::Module>
mlir::kiln::translateModel(ModuleOp module, llvm::LLVMContext &ctx,
                           ModelSignature &sig, llvm::TargetMachine &tm,
                           std::string &error) {
  if (auto arena = module->getAttrOfType<IntegerAttr>(kArenaSizeAttr))
    sig.arenaBytes = arena.getInt();
  sig.kernels.clear();
  if (auto kernels = module->getAttrOfType<ArrayAttr>("kiln.kernels"))
    for (auto name : kernels.getAsValueRange<StringAttr>())
      sig.kernels.push_back(name.str());
  std::unique_ptr<llvm::Module> m =
      translateModuleToLLVMIR(module, ctx, sig.name);
  if (!m) {
    error = "translation to LLVM IR failed";
    return nullptr;
  }
  m->setDataLayout(tm.createDataLayout());
  m->setTargetTriple(tm.getTargetTriple());
  sig.target = tm.getTargetTriple().str() + " " + tm.getTargetCPU().str();

  // Only the descriptor is exported: two models can share one program.
  for (llvm::Function &f : *m)
    if (!f.isDeclaration())
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &g : m->globals())
    if (!g.isDeclaration())
      g.setLinkage(llvm::GlobalValue::InternalLinkage);

  // kiln-plan-memory appended the arena as the entry's last argument.
  llvm::Function *main = m->getFunction(kEntryName);
  size_t numArgs = sig.inputs.size() + sig.outputs.size();
  if (!main || main->arg_size() != numArgs + 1 ||
      !main->getReturnType()->isVoidTy()) {
    error = "entry function does not take one pointer per input and output "
            "and the arena";
    return nullptr;
  }
  main->setName("kiln_" + sig.name + "_main");
  // Inputs and outputs never alias (the runtime checks nothing else), which
  // lets LLVM vectorize freely.
  for (llvm::Argument &a : main->args())
    a.addAttr(llvm::Attribute::NoAlias);

  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  llvm::Type *i32 = llvm::Type::getInt32Ty(ctx);
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  auto *entryTy = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                          {ptr, ptr, ptr}, false);
  auto *entry =
      llvm::Function::Create(entryTy, llvm::GlobalValue::InternalLinkage,
                             "kiln_" + sig.name + "_entry", *m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", entry));
  SmallVector<llvm::Value *> args;
  for (size_t i = 0; i < numArgs; ++i)
    args.push_back(b.CreateLoad(
        ptr, b.CreateConstInBoundsGEP1_64(ptr, entry->getArg(0), i)));
  args.push_back(entry->getArg(1));
  // The session (ctx) is where parallel loops find the thread pool; one
  // thread-local slot keeps concurrent sessions apart.
  auto *ctxSlot = new llvm::GlobalVariable(
      *m, ptr, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantPointerNull::get(llvm::PointerType::getUnqual(ctx)),
      "kiln_" + sig.name + "_ctx", nullptr,
      llvm::GlobalValue::GeneralDynamicTLSModel);
  b.CreateStore(entry->getArg(2), ctxSlot);
  b.CreateCall(main, args);
  b.CreateRetVoid();

  dispatchParallelLoops(*m, ctxSlot);
  defineKernelMarks(*m, ctxSlot);

  auto *descTy = llvm::StructType::get(ctx, {ptr, i32, i32, ptr});
  auto cstring = [&](StringRef s, const Twine &name) {
    return privateGlobal(*m, llvm::ConstantDataArray::getString(ctx, s), name);
  };
  auto descArray = [&](ArrayRef<TensorSignature> tensors, StringRef kind) {
    SmallVector<llvm::Constant *> descs;
    for (auto [i, t] : llvm::enumerate(tensors)) {
      std::string base =
          "kiln_" + sig.name + "_" + kind.str() + std::to_string(i);
      llvm::Constant *shape =
          t.shape.empty()
              ? llvm::ConstantPointerNull::get(
                    llvm::PointerType::getUnqual(ctx))
              : privateGlobal(*m,
                              llvm::ConstantDataArray::get(
                                  ctx, ArrayRef<uint64_t>(
                                           reinterpret_cast<const uint64_t *>(
                                               t.shape.data()),
                                           t.shape.size())),
                              base + "_shape");
      descs.push_back(llvm::ConstantStruct::get(
          descTy, {cstring(t.name, base + "_name"),
                   llvm::ConstantInt::get(i32, t.dtype),
                   llvm::ConstantInt::get(i32, t.shape.size()), shape}));
    }
    return privateGlobal(*m,
                         llvm::ConstantArray::get(
                             llvm::ArrayType::get(descTy, descs.size()), descs),
                         "kiln_" + sig.name + "_" + kind);
  };
  SmallVector<llvm::Constant *> kernelNames;
  for (auto [i, k] : llvm::enumerate(sig.kernels))
    kernelNames.push_back(
        cstring(k, "kiln_" + sig.name + "_kernel" + std::to_string(i)));
  llvm::Constant *kernelTable =
      kernelNames.empty()
          ? llvm::ConstantPointerNull::get(llvm::PointerType::getUnqual(ctx))
          : privateGlobal(
                *m,
                llvm::ConstantArray::get(
                    llvm::ArrayType::get(ptr, kernelNames.size()), kernelNames),
                "kiln_" + sig.name + "_kernels");
  auto *modelTy = llvm::StructType::get(
      ctx, {i32, ptr, i32, ptr, i32, ptr, i64, i64, ptr, ptr, i32, ptr});
  llvm::Constant *init = llvm::ConstantStruct::get(
      modelTy, {llvm::ConstantInt::get(i32, KILN_ABI_VERSION),
                cstring(sig.name, "kiln_model_name"),
                llvm::ConstantInt::get(i32, sig.inputs.size()),
                descArray(sig.inputs, "inputs"),
                llvm::ConstantInt::get(i32, sig.outputs.size()),
                descArray(sig.outputs, "outputs"),
                llvm::ConstantInt::get(i64, sig.arenaBytes),
                llvm::ConstantInt::get(i64, sig.weightsBytes),
                cstring(sig.target, "kiln_model_target"), entry,
                llvm::ConstantInt::get(i32, kernelNames.size()), kernelTable});
  auto *model = new llvm::GlobalVariable(*m, modelTy, /*isConstant=*/true,
                                         llvm::GlobalValue::ExternalLinkage,
                                         init, "kiln_model_" + sig.name);
  // The name-independent alias lets loaders find any model with dlsym.
  llvm::GlobalAlias::create(modelTy, 0, llvm::GlobalValue::WeakAnyLinkage,
                            "kiln_library_model", model, m.get());

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm =
      pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(*m, mam);
  return m;
}

bool mlir::kiln::emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                          llvm::CodeGenFileType type,
                          SmallVectorImpl<char> &out, std::string &error) {
  llvm::legacy::PassManager pm;
  llvm::raw_svector_ostream os(out);
  if (tm.addPassesToEmitFile(pm, os, nullptr, type)) {
    error = "the target cannot emit this file type";
    return false;
  }
  pm.run(module);
  return true;
}

bool mlir::kiln::linkSharedLibrary(StringRef objectPath, StringRef runtimeLib,
                                   StringRef output, StringRef linker,
                                   std::string &error) {
  auto program = llvm::sys::findProgramByName(linker);
  if (!program) {
    error = "linker '" + linker.str() + "' not found in PATH";
    return false;
  }
  // --whole-archive: the library exports the whole runtime API, not just
  // what the model's code references.
  SmallVector<StringRef> args = {*program,
                                 "-shared",
                                 "-o",
                                 output,
                                 objectPath,
                                 "-Wl,--whole-archive",
                                 runtimeLib,
                                 "-Wl,--no-whole-archive",
                                 "-lm",
                                 "-lpthread",
                                 "-Wl,-z,noexecstack"};
  int rc =
      llvm::sys::ExecuteAndWait(*program, args, std::nullopt, {}, 0, 0, &error);
  if (rc != 0) {
    if (error.empty())
      error = "linker '" + linker.str() + "' exited with " + std::to_string(rc);
    return false;
  }
  return true;
}

bool mlir::kiln::writeStaticLibrary(ArrayRef<char> object, StringRef objName,
                                    StringRef runtimeLib, StringRef output,
                                    std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(runtimeLib);
  if (!buffer) {
    error = "cannot read runtime library '" + runtimeLib.str() +
            "': " + buffer.getError().message();
    return false;
  }
  auto archive = llvm::object::Archive::create((*buffer)->getMemBufferRef());
  if (!archive) {
    error = llvm::toString(archive.takeError());
    return false;
  }
  std::vector<llvm::NewArchiveMember> members;
  members.emplace_back(
      llvm::MemoryBufferRef(StringRef(object.data(), object.size()), objName));
  llvm::Error err = llvm::Error::success();
  for (const auto &child : (*archive)->children(err)) {
    auto member = llvm::NewArchiveMember::getOldMember(child, true);
    if (!member) {
      error = llvm::toString(member.takeError());
      return false;
    }
    members.push_back(std::move(*member));
  }
  if (err) {
    error = llvm::toString(std::move(err));
    return false;
  }
  if (llvm::Error e = llvm::writeArchive(
          output, members, llvm::SymtabWritingMode::NormalSymtab,
          llvm::object::Archive::K_GNU, /*Deterministic=*/true,
          /*Thin=*/false)) {
    error = llvm::toString(std::move(e));
    return false;
  }
  return true;
}

static StringRef cType(int32_t dtype) {
  switch (dtype) {
  case 1:
    return "float";
  case 11:
    return "double";
  case 3:
    return "int8_t";
  case 5:
    return "int16_t";
  case 6:
    return "int32_t";
  case 7:
    return "int64_t";
  case 2:
  case 9:
    return "uint8_t";
  case 4:
  case 10:
  case 16:
    return "uint16_t";
  case 12:
    return "uint32_t";
  case 13:
    return "uint64_t";
  default:
    return "void";
  }
}

static StringRef dtypeEnum(int32_t dtype) {
  switch (dtype) {
  case 1:
    return "KILN_DTYPE_F32";
  case 11:
    return "KILN_DTYPE_F64";
  case 3:
    return "KILN_DTYPE_I8";
  case 5:
    return "KILN_DTYPE_I16";
  case 6:
    return "KILN_DTYPE_I32";
  case 7:
    return "KILN_DTYPE_I64";
  case 9:
    return "KILN_DTYPE_BOOL";
  case 10:
    return "KILN_DTYPE_F16";
  case 16:
    return "KILN_DTYPE_BF16";
  case 2:
    return "KILN_DTYPE_U8";
  case 4:
    return "KILN_DTYPE_U16";
  case 12:
    return "KILN_DTYPE_U32";
  case 13:
    return "KILN_DTYPE_U64";
  default:
    return "KILN_DTYPE_INVALID";
  }
}

std::string mlir::kiln::generateHeader(const ModelSignature &sig) {
  std::string s;
  llvm::raw_string_ostream os(s);
  const std::string &n = sig.name;
  std::string guard = "KILN_MODEL_" + llvm::StringRef(n).upper() + "_H";
  os << "/* Generated by kiln-compile for model '" << n
     << "'. Do not edit.\n *\n * Link with lib" << n << ".so or lib" << n
     << ".a; this header also declares the Kiln runtime API. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << kRuntimeHeader << "\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "/* The model's descriptor, exported by its library. */\n"
     << "extern const kiln_model_t kiln_model_" << n << ";\n\n";
  os << "#define " << n << "_NUM_INPUTS " << sig.inputs.size() << "\n";
  os << "#define " << n << "_NUM_OUTPUTS " << sig.outputs.size() << "\n";
  // Parameter names: the ONNX names as identifiers, made unique.
  llvm::StringSet<> used;
  SmallVector<std::string> params;
  auto paramName = [&](const TensorSignature &t) {
    std::string p = sanitizeIdentifier(t.name);
    while (!used.insert(p).second || p == "session")
      p += "_";
    params.push_back(p);
  };
  auto describe = [&](ArrayRef<TensorSignature> ts, StringRef kind) {
    for (auto [i, t] : llvm::enumerate(ts)) {
      int64_t elems = 1;
      for (int64_t d : t.shape)
        elems *= d;
      std::string p = (n + "_" + kind.upper() + "_" + Twine(i)).str();
      os << "\n/* " << kind << " " << i << ": \"" << t.name << "\", "
         << dtypeEnum(t.dtype) << " [";
      llvm::interleave(t.shape, os, ",");
      os << "] */\n";
      os << "#define " << p << "_NAME \"" << t.name << "\"\n";
      os << "#define " << p << "_DTYPE " << dtypeEnum(t.dtype) << "\n";
      os << "#define " << p << "_RANK " << t.shape.size() << "\n";
      os << "#define " << p << "_NUM_ELEMENTS " << elems << "\n";
      os << "#define " << p << "_SHAPE {";
      llvm::interleave(t.shape, os, ", ");
      os << "}\n";
      paramName(t);
    }
  };
  describe(sig.inputs, "input");
  describe(sig.outputs, "output");

  os << "\n/* Creates a session; num_threads 0 means one per core. */\n"
     << "static inline kiln_status_t " << n
     << "_session_create(int32_t num_threads, kiln_session_t **out_session) "
        "{\n"
     << "  kiln_session_options_t options;\n"
     << "  kiln_session_options_init(&options);\n"
     << "  options.num_threads = num_threads;\n"
     << "  return kiln_session_create(&kiln_model_" << n
     << ", &options, out_session);\n}\n\n";
  os << "/* Runs the model: reads the inputs, writes the outputs (dense,\n"
        " * row-major, of the shapes above). */\n"
     << "static inline kiln_status_t " << n << "_run(kiln_session_t *session";
  size_t k = 0;
  for (const auto &t : sig.inputs)
    os << ", const " << cType(t.dtype) << " *" << params[k++];
  for (const auto &t : sig.outputs)
    os << ", " << cType(t.dtype) << " *" << params[k++];
  os << ") {\n";
  auto tensors = [&](ArrayRef<TensorSignature> ts, StringRef kind,
                     size_t first) {
    for (auto [i, t] : llvm::enumerate(ts)) {
      os << "  static const int64_t " << kind << i << "_shape[] = {";
      if (t.shape.empty())
        os << "1";
      llvm::interleave(t.shape, os, ", ");
      os << "};\n";
    }
    os << "  kiln_tensor_t " << kind << "[" << ts.size() << "] = {\n";
    for (auto [i, t] : llvm::enumerate(ts))
      os << "      {" << dtypeEnum(t.dtype) << ", " << t.shape.size() << ", "
         << kind << i << "_shape, (void *)" << params[first + i] << "},\n";
    os << "  };\n";
  };
  tensors(sig.inputs, "inputs", 0);
  tensors(sig.outputs, "outputs", sig.inputs.size());
  os << "  return kiln_session_run(session, inputs, " << sig.inputs.size()
     << ", outputs, " << sig.outputs.size() << ");\n}\n";
  os << "\n#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n#endif /* "
     << guard << " */\n";
  return s;
}
