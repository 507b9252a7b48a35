// Register tiles follow the target's SIMD registers (kiln-compile sets
// these options from --target-cpu): AVX-512 (512 bits x 32 registers, the
// default) holds 4 vectors across a row, AVX2 (256 x 16) and SSE (128 x 16)
// hold 2, so 6 rows keep 24, 12 and 12 accumulators.
// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize))" | FileCheck %s --check-prefix=AVX512
// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{vector-bits=256 vector-registers=16}))" | FileCheck %s --check-prefix=AVX2
// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{vector-bits=128 vector-registers=16}))" | FileCheck %s --check-prefix=SSE
// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{vector-bits=256 vector-registers=16 reduction-tile=64}))" | FileCheck %s --check-prefix=KC64

// 196 rows = 192 in 6-row tiles + a tile of the last 4, at every width.
// AVX512-LABEL: func @matmul
// AVX512: vector.contract {{.*}} : vector<6x4xf32>, vector<4x64xf32> into vector<6x64xf32>
// AVX512: vector.contract {{.*}} : vector<4x4xf32>, vector<4x64xf32> into vector<4x64xf32>
// AVX2-LABEL: func @matmul
// AVX2: vector.contract {{.*}} : vector<6x4xf32>, vector<4x16xf32> into vector<6x16xf32>
// AVX2: vector.contract {{.*}} : vector<4x4xf32>, vector<4x16xf32> into vector<4x16xf32>
// SSE-LABEL: func @matmul
// SSE: vector.contract {{.*}} : vector<6x4xf32>, vector<4x8xf32> into vector<6x8xf32>
// SSE: vector.contract {{.*}} : vector<4x4xf32>, vector<4x8xf32> into vector<4x8xf32>
func.func @matmul(%a: tensor<196x64xf32>, %b: tensor<64x128xf32>) -> tensor<196x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<196x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<196x128xf32>) -> tensor<196x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<196x64xf32>, tensor<64x128xf32>) outs(%f : tensor<196x128xf32>) -> tensor<196x128xf32>
  return %r : tensor<196x128xf32>
}

// -----

// A direct NHWC conv's register tile: 4 pixels by a row of 4 or 2 vectors
// of filters.
// AVX512-LABEL: func @conv
// AVX512: vector.contract {{.*}} : vector<1x4x16xf32>, vector<16x64xf32> into vector<1x4x64xf32>
// AVX2-LABEL: func @conv
// AVX2: vector.contract {{.*}} : vector<1x4x32xf32>, vector<32x16xf32> into vector<1x4x16xf32>
// SSE-LABEL: func @conv
// SSE: vector.contract {{.*}} : vector<1x4x32xf32>, vector<32x8xf32> into vector<1x4x8xf32>
func.func @conv(%x: tensor<1x10x10x32xf32>, %w: tensor<3x3x32x64xf32>) -> tensor<1x8x8x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x10x10x32xf32>, tensor<3x3x32x64xf32>) outs(%f : tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  return %r : tensor<1x8x8x64xf32>
}

// -----

// A depthwise conv's register tile: channels in 4 vectors, pixels up to
// half the registers' worth of accumulators (16 x 16 / 64 = 4 with
// AVX-512, 8 x 8 / 32 = 2 with AVX2).
// AVX512-LABEL: func @depthwise
// AVX512: vector.fma {{.*}} : vector<1x4x64xf32>
// AVX2-LABEL: func @depthwise
// AVX2: vector.fma {{.*}} : vector<1x2x32xf32>
func.func @depthwise(%x: tensor<1x10x10x64xf32>, %w: tensor<3x3x64xf32>) -> tensor<1x8x8x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x10x10x64xf32>, tensor<3x3x64xf32>) outs(%f : tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  return %r : tensor<1x8x8x64xf32>
}

// -----

// The reduction block follows the register tile: 128 steps of a 4-vector
// row ([128, 64] panels), 256 of narrower rows when a tile has 4 rows or
// more, 128 for single-row tiles; reduction-tile overrides it.
// AVX512-LABEL: func @reduction_block
// AVX512: scf.for {{.*}} = %c0 to %c512 step %c128
// AVX512-LABEL: func @reduction_block_row
// AVX512: scf.for {{.*}} = %c0 to %c512 step %c128
// AVX2-LABEL: func @reduction_block
// AVX2: scf.for {{.*}} = %c0 to %c512 step %c256
// AVX2-LABEL: func @reduction_block_row
// AVX2: scf.for {{.*}} = %c0 to %c512 step %c128
// SSE-LABEL: func @reduction_block
// SSE: scf.for {{.*}} = %c0 to %c512 step %c256
// KC64-LABEL: func @reduction_block
// KC64: scf.for {{.*}} = %c0 to %c512 step %c64
// KC64-LABEL: func @reduction_block_row
// KC64: scf.for {{.*}} = %c0 to %c512 step %c64
func.func @reduction_block(%a: tensor<128x512xf32>, %b: tensor<512x256xf32>) -> tensor<128x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<128x256xf32>) -> tensor<128x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<128x512xf32>, tensor<512x256xf32>) outs(%f : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %r : tensor<128x256xf32>
}

// -----

func.func @reduction_block_row(%a: tensor<1x512xf32>, %b: tensor<512x256xf32>) -> tensor<1x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x256xf32>) -> tensor<1x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1x512xf32>, tensor<512x256xf32>) outs(%f : tensor<1x256xf32>) -> tensor<1x256xf32>
  return %r : tensor<1x256xf32>
}
