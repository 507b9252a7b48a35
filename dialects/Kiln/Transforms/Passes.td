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

def ChannelsLastPass : Pass<"kiln-channels-last"> {
  let summary = "NHWC convolutions with HWCF filters; transposes sunk and "
                "cancelled";
  let description = [{
    Layout phase. A 2-D f32 convolution with a constant filter (group 1 or
    depthwise) becomes `channels_last` between an NCHW->NHWC and an
    NHWC->NCHW transpose, its filter re-laid-out to HWCF at compile time.
    Transposes are then composed and sunk through elementwise ops (binary
    ones when both operands carry the same transpose or one is a single
    element) and keepdims reductions, so consecutive convolutions meet with
    nothing between them and no activation is re-laid-out at run time.
  }];
  let dependentDialects = ["kiln::KilnDialect"];
}

def FormKernelsPass : Pass<"kiln-form-kernels"> {
  let summary = "Group kiln ops into kernels (kiln.fusion)";
  let description = [{
    Fusion phase. Each anchor (conv, matmul, gemm, reduction, softmax, layer
    norm, pooling) takes the producers it reads through (constant pad,
    transposed or broadcast matmul operands) and the chain of elementwise
    consumers after it (bias, batch norm, activation, residual add, clip)
    while each link has one user; a chain of elementwise ops with no anchor
    is one kernel; data movement ops are kernels of their own; constants and
    reshapes are in none. Every kernel becomes a `kiln.fusion` named after
    its anchor's ONNX node, with the locations of all its ops.
  }];
  let dependentDialects = ["kiln::KilnDialect"];
}

def MarkKernelsPass : Pass<"kiln-mark-kernels", "ModuleOp"> {
  let summary = "Mark kernel boundaries for the run-time profiler";
  let description = [{
    Calls the private function `kiln_kernel_mark(i)` before the i-th
    `kiln.fusion` of the module (program order) and `kiln_kernel_mark(N)`
    before each return, and records the kernel names in the module's
    `kiln.kernels` array. The model library turns the calls into
    `kiln_profile_mark(session, i)` (a no-op unless the session profiles).
  }];
  let dependentDialects = ["func::FuncDialect", "arith::ArithDialect"];
}

#endif // KILN_TRANSFORMS_PASSES
