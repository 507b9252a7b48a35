// RUN: kiln-opt %s --kiln-cpu-pipeline | FileCheck %s
// RUN: kiln-opt %s --kiln-cpu-pipeline | FileCheck %s --check-prefix=NOOPS
// RUN: kiln-opt %s --kiln-cpu-pipeline | FileCheck %s --check-prefix=NOLIBM

// A small CNN (conv + batch norm + relu + max pool + reshape + gemm +
// softmax) runs through every phase to the LLVM dialect.

// The graph phase folded the batch norm into the conv weights (W * s with
// s = [0.5, 2]) and bias (shift [0, 1]); constants become LLVM globals.
// CHECK-DAG: llvm.mlir.global private constant @{{.*}}(dense<{{\[+}}1.000000e+00{{\]*}}, {{\[*}}6.000000e+00{{\]+}}> : tensor<{{(2x1(x1x1)?|1x1x1x2)}}xf32>)
// CHECK-DAG: llvm.mlir.global private constant @{{.*}}(dense<{{\[+}}0.000000e+00, 1.000000e+00{{\]+}}> : tensor<{{(1x)?}}2xf32>)
// Bare-pointer calling convention: the input buffer, the output buffer
// (results became out-params), then any runtime-provided scratch.
// CHECK: llvm.func @main(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr)
// The math survived: exp for the softmax (a polynomial of FMAs, not a
// call per element), maximum for relu/max pool.
// CHECK-DAG: llvm.intr.fma
// NOLIBM-NOT: llvm.intr.exp
// NOLIBM-NOT: @expf
// CHECK-DAG: llvm.intr.maximum
// CHECK-DAG: llvm.fdiv
// CHECK: llvm.return

// No op of any other dialect is left (attributes such as kiln.* on the
// module are fine).
// NOOPS-NOT: {{^ *(%[^=]+ = )?"?(kiln|linalg|tensor|memref|bufferization|arith|math|scf|cf|affine|func|index|ub)\.[a-z_]+}}
// NOOPS: llvm.func @main
// NOOPS-NOT: {{^ *(%[^=]+ = )?"?(kiln|linalg|tensor|memref|bufferization|arith|math|scf|cf|affine|func|index|ub)\.[a-z_]+}}
// NOOPS-NOT: unrealized_conversion_cast
// NOOPS: llvm.return
// NOOPS-NOT: {{^ *(%[^=]+ = )?"?(kiln|linalg|tensor|memref|bufferization|arith|math|scf|cf|affine|func|index|ub)\.[a-z_]+}}
// NOOPS-NOT: unrealized_conversion_cast

func.func @main(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %gamma = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = kiln.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x6x6xf32>
  %1 = kiln.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64} : tensor<1x2x6x6xf32>, tensor<2xf32>
  %2 = kiln.relu %1 : tensor<1x2x6x6xf32>
  %3 = kiln.max_pool %2 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  %4 = kiln.reshape %3 : tensor<1x2x3x3xf32> -> tensor<1x18xf32>
  %b = kiln.constant dense<0.5> : tensor<18x2xf32>
  %c = kiln.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %5 = kiln.gemm %4, %b, %c : (tensor<1x18xf32>, tensor<18x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %6 = kiln.softmax %5 {axis = 1 : i64} : tensor<1x2xf32>
  return %6 : tensor<1x2xf32>
}
