//===- Passes.h - kiln graph passes -----------------------------*- C++ -*-===//

#ifndef KILN_TRANSFORMS_PASSES_H
#define KILN_TRANSFORMS_PASSES_H

#include "Kiln/IR/KilnOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace kiln {

#define GEN_PASS_DECL
#include "Kiln/Transforms/Passes.h.inc"

/// batch_norm(conv) and batch_norm(gemm) with constant parameters -> one op.
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);

/// gemm with a transposed constant B -> B stored untransposed.
void populatePackWeightsPatterns(RewritePatternSet &patterns);

/// Convolutions to channels_last, transposes composed and sunk.
void populateChannelsLastPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "Kiln/Transforms/Passes.h.inc"

} // namespace kiln
} // namespace mlir

#endif // KILN_TRANSFORMS_PASSES_H
