//===- Pipelines.h - kiln's phase pipelines ---------------------*- C++ -*-===//
//
// The compiler's phases, in order. Each phase is a named pass pipeline
// (registered for kiln-opt and the mlir-opt plugin); kiln-compile runs them
// in sequence and can stop after any (--compile-to=PHASE).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PIPELINES_PIPELINES_H
#define KILN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace mlir::kiln {

enum class Phase {
  Import,
  Graph,
  Precision,
  Layout,
  Fusion,
  Lower,
  Codegen,
  LLVM,
  Object,
  Library
};

std::optional<Phase> parsePhase(llvm::StringRef name);
llvm::StringRef phaseName(Phase phase);
/// "import, graph, ..., library" for help and error messages.
std::string phaseList();

struct PipelineOptions {
  /// fp32 only so far; the precision phase is where fp16/bf16/int8 go.
  std::string precision = "fp32";
  /// The target's SIMD registers (getVectorRegisters), which size the
  /// register tiles; the default is AVX-512's.
  int64_t vectorBits = 512;
  int64_t vectorRegisters = 32;
};

/// graph: canonicalize, fold constants, CSE/DCE, fold batch norms.
void buildGraphPipeline(OpPassManager &pm);
/// precision: rewrites to the requested precision (fp32: nothing to do).
void buildPrecisionPipeline(OpPassManager &pm, const PipelineOptions &options);
/// layout: weight pre-packing at compile time (activations stay NCHW).
void buildLayoutPipeline(OpPassManager &pm);
/// fusion: kernel formation on kiln ops (none yet; linalg fusion runs in
/// codegen).
void buildFusionPipeline(OpPassManager &pm);
/// lower: kiln -> linalg/tensor/arith/math on tensors.
void buildLowerPipeline(OpPassManager &pm);
/// codegen (CPU): fuse elementwise linalg, bufferize, results to out-params,
/// static memory plan (one arena), loops.
void buildCPUCodegenPipeline(OpPassManager &pm,
                             const PipelineOptions &options = {});
/// llvm: everything to the LLVM dialect (bare-pointer memref arguments).
void buildLLVMPipeline(OpPassManager &pm);

/// Adds every phase after `from` up to and including `to` (at most llvm;
/// object and library are not pass pipelines).
void buildPhases(OpPassManager &pm, Phase from, Phase to,
                 const PipelineOptions &options);

void registerKilnPipelines();

} // namespace mlir::kiln

#endif // KILN_PIPELINES_PIPELINES_H
