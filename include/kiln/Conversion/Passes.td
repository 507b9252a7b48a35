//===- Passes.td - kiln conversion passes ------------------*- tablegen -*-===//

#ifndef KILN_CONVERSION_PASSES
#define KILN_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertKilnToLinalgPass : Pass<"convert-kiln-to-linalg"> {
  let summary = "Lower kiln ops to linalg/tensor/arith/math on tensors";
  let description = [{
    Named linalg ops where upstream has one (matmul, batch_matmul, 2-D conv,
    depthwise conv), linalg.generic otherwise. Broadcasts become indexing
    maps; pads become tensor.pad; pooling divisors are compile-time constants.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "tensor::TensorDialect",
                           "arith::ArithDialect", "math::MathDialect"];
}

def ConvertStridedCopiesPass : Pass<"kiln-convert-strided-copies"> {
  let summary = "Turn memref.copy between strided views into linalg.copy";
  let description = [{
    Bufferization writes padded and concatenated tensors with memref.copy
    into subviews; MemRefToLLVM lowers such non-contiguous copies to a call
    into MLIR's C runner utilities, which model libraries must not need.
    As linalg.copy they become plain loops (or vector code) instead. Large
    ones (at least 32768 elements, outside any scf.forall) become an
    scf.forall of row copies, for kiln-outline-parallel-loops to run on the
    thread pool.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "memref::MemRefDialect",
                           "scf::SCFDialect"];
}

#endif // KILN_CONVERSION_PASSES
