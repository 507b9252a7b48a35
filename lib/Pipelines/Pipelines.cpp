//===- Pipelines.cpp - kiln's phase pipelines -----------------------------===//
//
// Phases are spelled as textual pass pipelines: they read like the
// `--pass-pipeline` a user would write, and every pass in them is a
// registered upstream or kiln pass.
//
//===----------------------------------------------------------------------===//

#include "kiln/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::kiln;

static constexpr llvm::StringLiteral kPhaseNames[] = {
    "import", "graph",   "precision", "layout", "fusion",
    "lower",  "codegen", "llvm",      "object", "library"};

std::optional<Phase> mlir::kiln::parsePhase(StringRef name) {
  for (auto [i, n] : llvm::enumerate(kPhaseNames))
    if (n == name)
      return static_cast<Phase>(i);
  return std::nullopt;
}

StringRef mlir::kiln::phaseName(Phase phase) {
  return kPhaseNames[static_cast<int>(phase)];
}

std::string mlir::kiln::phaseList() {
  std::string s;
  for (StringRef n : kPhaseNames)
    s += (s.empty() ? "" : ", ") + n.str();
  return s;
}

static void addPasses(OpPassManager &pm, StringRef pipeline) {
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(pipeline, pm, os)))
    llvm::report_fatal_error(llvm::Twine("kiln: invalid built-in pipeline '") +
                             pipeline + "': " + error);
}

void mlir::kiln::buildGraphPipeline(OpPassManager &pm) {
  addPasses(pm, "canonicalize,cse,kiln-fold-batch-norm,canonicalize,cse,"
                "symbol-dce");
}

void mlir::kiln::buildPrecisionPipeline(OpPassManager &,
                                        const PipelineOptions &options) {
  // fp32 is the imported precision; other modes are rejected by the driver
  // until their rewrites land here.
  (void)options;
}

void mlir::kiln::buildLayoutPipeline(OpPassManager &pm) {
  addPasses(pm, "kiln-pack-weights,kiln-channels-last,canonicalize,cse");
}

void mlir::kiln::buildFusionPipeline(OpPassManager &pm) {
  addPasses(pm, "kiln-form-kernels");
}

void mlir::kiln::buildLowerPipeline(OpPassManager &pm) {
  addPasses(pm, "kiln-mark-kernels,convert-kiln-to-linalg,canonicalize,cse");
}

void mlir::kiln::buildCPUCodegenPipeline(OpPassManager &pm,
                                         const PipelineOptions &options) {
  std::string tiles = llvm::formatv("vector-bits={0} vector-registers={1}",
                                    options.vectorBits, options.vectorRegisters)
                          .str();
  // Contractions are tiled before elementwise fusion, which would otherwise
  // fuse their producers (bias, ReLU) into them and recompute those per use.
  // Convolutions go first, before unit-dim folding puts reshapes between
  // them and the elementwise consumers fused into their tiles, and their
  // accumulators are hoisted into registers before it puts reshapes between
  // the reduction loops and the accumulator reads and writes.
  addPasses(
      pm, "func.func(kiln-cpu-tile-and-vectorize{stage=convolutions " + tiles +
              "}),"
              "canonicalize,cse,loop-invariant-subset-hoisting,canonicalize,"
              "linalg-fold-unit-extent-dims,canonicalize,cse,"
              "func.func(kiln-cpu-tile-and-vectorize{stage=contractions " +
              tiles +
              "}),"
              "canonicalize,cse,"
              "func.func(linalg-fuse-elementwise-ops),canonicalize,cse,"
              // Fills CSE merged are given back to each user before they
              // become loops (which unshare-inits does not look into), and no
              // CSE runs after, which would merge those loops again.
              "func.func(kiln-unshare-inits),"
              "func.func(kiln-parallelize-elementwise),canonicalize,"
              "loop-invariant-subset-hoisting,canonicalize,"
              "func.func(kiln-results-to-destinations),"
              "func.func(kiln-unshare-inits),eliminate-empty-tensors,"
              "one-shot-bufferize{bufferize-function-boundaries "
              "function-boundary-type-conversion=identity-layout-map},"
              "canonicalize,buffer-deallocation-pipeline,kiln-plan-memory,"
              "kiln-convert-strided-copies,kiln-outline-parallel-loops,"
              "func.func(convert-linalg-to-loops),fold-memref-alias-ops,"
              "canonicalize,cse,func.func(kiln-prefetch-tiles),canonicalize,"
              "cse");
}

void mlir::kiln::buildLLVMPipeline(OpPassManager &pm) {
  addPasses(pm, "func.func(kiln-tree-reductions,lower-vector-multi-reduction),"
                "convert-vector-to-scf{full-unroll},"
                "lower-affine,convert-scf-to-cf,"
                "convert-vector-to-llvm{vector-contract-lowering=outerproduct "
                "vector-transpose-lowering=shuffle16x16},"
                "expand-strided-metadata,lower-affine,"
                "finalize-memref-to-llvm,convert-math-to-llvm,"
                "convert-math-to-libm,convert-arith-to-llvm,"
                "convert-index-to-llvm,convert-cf-to-llvm,"
                "convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
                "convert-ub-to-llvm,reconcile-unrealized-casts");
}

void mlir::kiln::buildPhases(OpPassManager &pm, Phase from, Phase to,
                             const PipelineOptions &options) {
  auto runs = [&](Phase p) { return from < p && p <= to; };
  if (runs(Phase::Graph))
    buildGraphPipeline(pm);
  if (runs(Phase::Precision))
    buildPrecisionPipeline(pm, options);
  if (runs(Phase::Layout))
    buildLayoutPipeline(pm);
  if (runs(Phase::Fusion))
    buildFusionPipeline(pm);
  if (runs(Phase::Lower))
    buildLowerPipeline(pm);
  if (runs(Phase::Codegen))
    buildCPUCodegenPipeline(pm, options);
  if (runs(Phase::LLVM))
    buildLLVMPipeline(pm);
}

void mlir::kiln::registerKilnPipelines() {
  PassPipelineRegistration<>("kiln-graph-pipeline",
                             "Kiln graph phase: clean-up and BN folding",
                             buildGraphPipeline);
  PassPipelineRegistration<>("kiln-lower-pipeline",
                             "Kiln lower phase: kiln -> linalg on tensors",
                             buildLowerPipeline);
  PassPipelineRegistration<>(
      "kiln-cpu-codegen-pipeline",
      "Kiln CPU codegen phase: linalg on tensors -> loops on buffers",
      [](OpPassManager &pm) { buildCPUCodegenPipeline(pm); });
  PassPipelineRegistration<>("kiln-llvm-pipeline",
                             "Kiln llvm phase: everything to the LLVM dialect",
                             buildLLVMPipeline);
  PassPipelineRegistration<>(
      "kiln-cpu-pipeline", "All Kiln phases from kiln ops to the LLVM dialect",
      [](OpPassManager &pm) {
        buildPhases(pm, Phase::Import, Phase::LLVM, PipelineOptions());
      });
}
