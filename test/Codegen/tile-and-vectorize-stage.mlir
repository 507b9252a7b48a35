// RUN: kiln-opt %s --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{stage=convolutions}))" | FileCheck %s --check-prefix=CONV
// RUN: kiln-opt %s --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{stage=contractions}))" | FileCheck %s --check-prefix=MM
// RUN: not kiln-opt %s --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{stage=bogus}))" 2>&1 | FileCheck %s --check-prefix=BAD

// The convolutions stage tiles only NHWC/depthwise convs; the contractions
// stage only the rest (here the matmul).
// CONV-LABEL: func @both
// CONV: linalg.matmul
// CONV-NOT: linalg.conv_2d_nhwc_hwcf
// MM-LABEL: func @both
// MM: linalg.conv_2d_nhwc_hwcf
// MM-NOT: linalg.matmul
// BAD: error: kiln-cpu-tile-and-vectorize: unknown stage 'bogus' (expected all, convolutions or contractions)
func.func @both(%x: tensor<1x9x9x64xf32>, %w: tensor<3x3x64x64xf32>, %a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> (tensor<1x7x7x64xf32>, tensor<64x64xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7x7x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x9x9x64xf32>, tensor<3x3x64x64xf32>) outs(%f : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  %em = tensor.empty() : tensor<64x64xf32>
  %fm = linalg.fill ins(%z : f32) outs(%em : tensor<64x64xf32>) -> tensor<64x64xf32>
  %m = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%fm : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %c, %m : tensor<1x7x7x64xf32>, tensor<64x64xf32>
}
