//===- kiln-compile.cpp - the Kiln compiler driver ------------------------===//
//
//   kiln-compile model.onnx -o libmodel.so [--emit=lib|static|obj|header|
//       mlir|llvm|asm] [--compile-to=PHASE] [--target-cpu=CPU]
//       [--target-triple=T] [--name=NAME]
//
// Runs the phases of lib/Pipelines in order and writes the requested
// artifact. A model library is written with its NAME.h beside it.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "kiln/Frontend/ONNX.h"
#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Target/Target.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace mlir::kiln;
namespace cl = llvm::cl;

static cl::OptionCategory kilnCat("kiln-compile options");

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx|.onnxtxt|.mlir>"),
                                      cl::cat(kilnCat));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("path"),
                                       cl::cat(kilnCat));

enum class Emit { Lib, Static, Obj, Header, MLIR, LLVMIR, Asm };
static cl::opt<Emit> emit(
    "emit", cl::desc("Artifact to write"), cl::init(Emit::Lib),
    cl::values(clEnumValN(Emit::Lib, "lib", "shared model library + header"),
               clEnumValN(Emit::Static, "static",
                          "static model library + header"),
               clEnumValN(Emit::Obj, "obj", "object file"),
               clEnumValN(Emit::Header, "header", "the C header only"),
               clEnumValN(Emit::MLIR, "mlir", "MLIR after the last phase"),
               clEnumValN(Emit::LLVMIR, "llvm", "LLVM IR"),
               clEnumValN(Emit::Asm, "asm", "assembly")),
    cl::cat(kilnCat));
// cl::desc keeps a StringRef: the text must outlive the option.
static const std::string compileToDesc =
    "Stop after this phase and print its IR (" + phaseList() + ")";
static cl::opt<std::string> compileTo("compile-to", cl::desc(compileToDesc),
                                      cl::value_desc("phase"),
                                      cl::cat(kilnCat));
static cl::opt<std::string>
    targetCPU("target-cpu",
              cl::desc("CPU to compile for (default: "
                       "the host's, with its features)"),
              cl::init("host"), cl::cat(kilnCat));
static cl::opt<std::string>
    targetTriple("target-triple",
                 cl::desc("Target triple (default: the host's)"),
                 cl::cat(kilnCat));
static cl::opt<std::string>
    modelName("name",
              cl::desc("Model name: C identifier of the entry points "
                       "(default: from the output file name)"),
              cl::cat(kilnCat));
static cl::opt<std::string> precision("precision",
                                      cl::desc("Compute precision (fp32)"),
                                      cl::init("fp32"), cl::cat(kilnCat));
static cl::opt<std::string>
    runtimeLib("runtime-lib",
               cl::desc("Kiln runtime archive to link (default: "
                        "<bin>/../lib/libkiln_runtime.a)"),
               cl::cat(kilnCat));
static cl::opt<std::string> linker("linker",
                                   cl::desc("C compiler driver that links "
                                            "shared libraries"),
                                   cl::init("cc"), cl::cat(kilnCat));

static cl::opt<bool> report(
    "report",
    cl::desc("Print the compile report: kernels (the ONNX nodes each fuses, "
             "layout, tiles, FLOPs), arena and weights sizes"),
    cl::cat(kilnCat));

/// -o, or stdout when it is not given.
static std::string outPath() {
  return outputFile.empty() ? std::string("-") : std::string(outputFile);
}

static int fail(const Twine &msg) {
  llvm::errs() << "kiln-compile: error: " << msg << "\n";
  return 1;
}

static std::string defaultName() {
  StringRef stem =
      llvm::sys::path::stem(outputFile.empty() ? inputFile : outputFile);
  if (!outputFile.empty() && stem.starts_with("lib") && stem.size() > 3 &&
      (emit == Emit::Lib || emit == Emit::Static))
    stem = stem.drop_front(3);
  if (outputFile.empty())
    stem = llvm::sys::path::stem(inputFile);
  return sanitizeIdentifier(stem);
}

static std::string findRuntime(const char *argv0) {
  if (!runtimeLib.empty())
    return runtimeLib;
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&findRuntime));
  SmallString<256> path(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(exe)));
  llvm::sys::path::append(path, "lib", "libkiln_runtime.a");
  return std::string(path);
}

static bool writeFile(StringRef path, StringRef data) {
  std::string error;
  auto out = openOutputFile(path, &error);
  if (!out) {
    fail(error);
    return false;
  }
  out->os() << data;
  out->keep();
  return true;
}

static OwningOpRef<ModuleOp> loadInput(MLIRContext &ctx) {
  StringRef ext = llvm::sys::path::extension(inputFile);
  if (ext == ".mlir") {
    llvm::SourceMgr sm;
    std::string error;
    auto file = openInputFile(inputFile, &error);
    if (!file) {
      fail(error);
      return nullptr;
    }
    sm.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    return parseSourceFile<ModuleOp>(sm, &ctx);
  }
  return importONNXFile(inputFile, &ctx);
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerAsmPrinterCLOptions();
  registerDefaultTimingManagerCLOptions();
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registerAllPasses();
  registerKilnDialects(registry);
  registerKilnPasses();
  // --help lists Kiln's options; the MLIR and LLVM ones (debugging, IR
  // printing) still work and are listed by --help-hidden.
  for (auto &[name, opt] : cl::getRegisteredOptions())
    if (!llvm::is_contained(opt->Categories, &kilnCat) &&
        !name.starts_with("help") && name != "version" &&
        opt->getOptionHiddenFlag() == cl::NotHidden)
      opt->setHiddenFlag(cl::Hidden);
  cl::ParseCommandLineOptions(
      argc, argv,
      "Kiln model compiler\n\n"
      "  Compiles an ONNX model into a model library (.so or .a) and its C\n"
      "  header. --help-hidden also lists the MLIR and LLVM options.\n");

  std::optional<Phase> stop;
  if (!compileTo.empty() && !(stop = parsePhase(compileTo)))
    return fail("unknown phase '" + compileTo + "' (phases: " + phaseList() +
                ")");
  if (precision != "fp32")
    return fail("--precision=" + precision +
                " is not supported yet (supported: fp32)");
  bool wantsFile = !stop && emit != Emit::MLIR;
  if (outputFile.empty() && wantsFile && emit != Emit::LLVMIR &&
      emit != Emit::Asm && emit != Emit::Header)
    return fail("-o OUTPUT is required for --emit=lib|static|obj");

  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  OwningOpRef<ModuleOp> module = loadInput(ctx);
  if (!module)
    return 1;
  std::string name =
      modelName.empty() ? defaultName() : sanitizeIdentifier(modelName);
  if (!modelName.empty() && name != modelName)
    return fail("--name '" + modelName + "' is not a C identifier");

  // The signature is read before lowering, while names and types are still
  // those of the model.
  FailureOr<ModelSignature> sig = getModelSignature(*module, name);
  if (failed(sig))
    return 1;

  Phase last = stop ? *stop : (emit == Emit::MLIR ? Phase::LLVM : Phase::LLVM);
  if (emit == Emit::Header && !stop) {
    std::string header = generateHeader(*sig);
    return writeFile(outPath(), header) ? 0 : 1;
  }

  // The target's SIMD registers size the register tiles in codegen.
  std::string error;
  auto machine = createTargetMachine({targetTriple, targetCPU}, error);
  if (!machine)
    return fail(error);
  PipelineOptions pipelineOptions{precision};
  VectorRegisters vectors = getVectorRegisters(*machine);
  pipelineOptions.vectorBits = vectors.bits;
  pipelineOptions.vectorRegisters = vectors.count;

  DefaultTimingManager tm;
  applyDefaultTimingManagerCLOptions(tm);
  TimingScope timing = tm.getRootScope();
  // With --report, the phases run in three steps so the report can read
  // the kernels after fusion and the tiles and memory plan after codegen.
  CompileReport rep;
  rep.model = name;
  rep.weightsBytes = sig->weightsBytes;
  auto runPhases = [&](Phase from, Phase to) -> LogicalResult {
    if (to <= from)
      return success();
    PassManager pm(&ctx);
    if (failed(applyPassManagerCLOptions(pm))) {
      fail("invalid pass manager options");
      return failure();
    }
    pm.enableTiming(timing);
    buildPhases(pm, from, to, pipelineOptions);
    return pm.run(*module);
  };
  Phase end = std::min(last, Phase::LLVM);
  if (report) {
    Phase fused = std::min(end, Phase::Fusion),
          generated = std::min(end, Phase::Codegen);
    if (failed(runPhases(Phase::Import, fused)))
      return 1;
    collectKernels(*module, rep);
    if (failed(runPhases(fused, generated)))
      return 1;
    collectCodegen(*module, rep);
    if (failed(runPhases(generated, end)))
      return 1;
  } else if (failed(runPhases(Phase::Import, end))) {
    return 1;
  }
  // The report goes to stdout unless the artifact does.
  auto printReportOnce = [&](const std::string &target) {
    if (!report)
      return;
    rep.target = target;
    bool artifactOnStdout = outPath() == "-";
    printReport(rep, artifactOnStdout ? llvm::errs() : llvm::outs());
  };

  if (stop && *stop <= Phase::LLVM) {
    std::string error;
    auto out = openOutputFile(outPath(), &error);
    if (!out)
      return fail(error);
    module->print(out->os());
    out->keep();
    printReportOnce("");
    return 0;
  }
  if (emit == Emit::MLIR && !stop) {
    printReportOnce("");
    return writeFile(outPath(),
                     [&] {
                       std::string s;
                       llvm::raw_string_ostream os(s);
                       module->print(os);
                       return s;
                     }())
               ? 0
               : 1;
  }

  llvm::LLVMContext llvmCtx;
  std::unique_ptr<llvm::Module> llvmModule;
  {
    TimingScope t = timing.nest("Translate to LLVM IR and optimize");
    llvmModule = translateModel(*module, llvmCtx, *sig, *machine, error);
  }
  if (!llvmModule)
    return fail(error);
  printReportOnce(sig->target);
  if (emit == Emit::LLVMIR && !stop) {
    std::string s;
    llvm::raw_string_ostream os(s);
    llvmModule->print(os, nullptr);
    return writeFile(outPath(), s) ? 0 : 1;
  }
  SmallVector<char> code;
  {
    TimingScope t = timing.nest("Emit object code");
    bool asmOut = emit == Emit::Asm && !stop;
    if (!emitCode(*llvmModule, *machine,
                  asmOut ? llvm::CodeGenFileType::AssemblyFile
                         : llvm::CodeGenFileType::ObjectFile,
                  code, error))
      return fail(error);
  }
  StringRef codeRef(code.data(), code.size());
  if ((emit == Emit::Asm || emit == Emit::Obj) && !stop)
    return writeFile(outPath(), codeRef) ? 0 : 1;
  if (stop && *stop == Phase::Object) {
    if (outputFile.empty())
      return fail("-o OUTPUT is required for --compile-to=object");
    return writeFile(outputFile, codeRef) ? 0 : 1;
  }

  // Library: object + runtime, and NAME.h beside it.
  if (outputFile.empty())
    return fail("-o OUTPUT is required for a library");
  TimingScope t = timing.nest("Package library");
  std::string runtime = findRuntime(argv[0]);
  if (!llvm::sys::fs::exists(runtime))
    return fail("runtime library '" + runtime +
                "' not found (use --runtime-lib)");
  bool isStatic = emit == Emit::Static;
  if (isStatic) {
    if (!writeStaticLibrary(code, name + ".o", runtime, outputFile, error))
      return fail(error);
  } else {
    SmallString<128> objPath;
    if (auto ec =
            llvm::sys::fs::createTemporaryFile("kiln-" + name, "o", objPath))
      return fail("cannot create a temporary file: " + ec.message());
    llvm::FileRemover remover(objPath);
    if (!writeFile(objPath, codeRef))
      return 1;
    if (!linkSharedLibrary(objPath, runtime, outputFile, linker, error))
      return fail("linking '" + outputFile + "' failed: " + error);
  }
  SmallString<256> headerPath(llvm::sys::path::parent_path(outputFile));
  llvm::sys::path::append(headerPath, name + ".h");
  return writeFile(headerPath, generateHeader(*sig)) ? 0 : 1;
}
