//===- Passes.td - kiln graph passes -----------------------*- tablegen -*-===//

#ifndef KILN_TRANSFORMS_PASSES
#define KILN_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def FoldBatchNormPass : Pass<"kiln-fold-batch-norm"> {
  let summary = "Fold inference batch norms into the preceding conv or gemm";
  let description = [{
    `batch_norm(conv(x, W, b))` with constant W, b and statistics becomes
    `conv(x, W * s, (b - mean) * s + beta)` where
    `s = scale / sqrt(var + eps)` per output channel; the same for a gemm
    whose output columns are the channels. Batch norms that cannot be folded
    (non-constant operands, other producers, shared results) are left alone.
  }];
  let dependentDialects = ["kiln::KilnDialect"];
}

def PackWeightsPass : Pass<"kiln-pack-weights"> {
  let summary = "Lay out constant weights for the kernels at compile time";
  let description = [{
    Layout phase. A gemm whose constant B is transposed (`trans_b`, as
    PyTorch's Linear exports it) gets B stored as [K, N] and `trans_b`
    cleared, so the CPU strategy reads contiguous vectors along N. Weights
    that are not constants are left alone.
  }];
  let dependentDialects = ["kiln::KilnDialect"];
}

#endif // KILN_TRANSFORMS_PASSES
