//===- Target.h - objects, model libraries and headers ----------*- C++ -*-===//
//
// The back half of the pipeline: the LLVM dialect module becomes LLVM IR
// with the model ABI (entry wrapper + kiln_model_t descriptor), then an
// object through LLVM's TargetMachine, then a model library (.so/.a) with
// the C runtime, plus a typed C header.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_TARGET_H
#define KILN_TARGET_TARGET_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/CodeGen.h"
#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir::kiln {

/// One input or output of a compiled model.
struct TensorSignature {
  std::string name;
  int32_t dtype = 0; // kiln_dtype_t (ONNX numbering)
  llvm::SmallVector<int64_t> shape;
};

/// What the descriptor and the header describe.
struct ModelSignature {
  std::string name; // a C identifier
  llvm::SmallVector<TensorSignature> inputs, outputs;
  uint64_t weightsBytes = 0;
  uint64_t arenaBytes = 0;                // from kiln-plan-memory
  std::string target;                     // "triple cpu"
  llvm::SmallVector<std::string> kernels; // from kiln-mark-kernels
};

/// Reads the signature of the kiln-level entry function `main` (names from
/// `kiln.name` attributes, defaulting to input_N/output_N); fails with a
/// diagnostic on non-static shapes or unsupported element types.
FailureOr<ModelSignature> getModelSignature(ModuleOp module,
                                            llvm::StringRef name);

/// A C identifier made from `name` (e.g. a file stem).
std::string sanitizeIdentifier(llvm::StringRef name);

struct TargetOptions {
  std::string triple; // default: the host's
  std::string cpu;    // default: the host's (with its features)
  llvm::CodeGenOptLevel optLevel = llvm::CodeGenOptLevel::Aggressive;
};

std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const TargetOptions &options, std::string &error);

/// The SIMD registers codegen tiles for: their width and how many there are
/// (x86: AVX-512 512 x 32, AVX/AVX2 256 x 16, SSE 128 x 16; AArch64 NEON
/// 128 x 32; anything else 128 x 16).
struct VectorRegisters {
  int64_t bits = 512;
  int64_t count = 32;
};
VectorRegisters getVectorRegisters(const llvm::TargetMachine &tm);

/// Translates an LLVM-dialect module, adds the model ABI, and optimizes.
std::unique_ptr<llvm::Module> translateModel(ModuleOp module,
                                             llvm::LLVMContext &ctx,
                                             ModelSignature &signature,
                                             llvm::TargetMachine &tm,
                                             std::string &error);

/// Emits `module` as an object file or assembly.
bool emitCode(llvm::Module &module, llvm::TargetMachine &tm,
              llvm::CodeGenFileType type, llvm::SmallVectorImpl<char> &out,
              std::string &error);

/// libNAME.so: the object plus the runtime archive, linked by the system C
/// compiler driver (`linker`, e.g. "cc").
bool linkSharedLibrary(llvm::StringRef objectPath, llvm::StringRef runtimeLib,
                       llvm::StringRef output, llvm::StringRef linker,
                       std::string &error);

/// libNAME.a: the object plus the runtime archive's members.
bool writeStaticLibrary(llvm::ArrayRef<char> object, llvm::StringRef objName,
                        llvm::StringRef runtimeLib, llvm::StringRef output,
                        std::string &error);

/// NAME.h: the runtime API (self-contained) plus the model's typed entry
/// points and metadata.
std::string generateHeader(const ModelSignature &signature);

} // namespace mlir::kiln

#endif // KILN_TARGET_TARGET_H
