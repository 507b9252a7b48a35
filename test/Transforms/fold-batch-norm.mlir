// RUN: kiln-opt %s -split-input-file -kiln-fold-batch-norm | FileCheck %s

// Shared numbers: bn scale [1, 2], bias [0.5, 1], mean [1, 0], var [3, 0],
// epsilon 1 give s = scale / sqrt(var + eps) = [0.5, 2] and
// shift = bias - mean * s = [0, 1].

// conv W = [2, 3], b = [1, -1]:  W * s = [1, 6], b * s + shift = [0.5, -1].
// CHECK-LABEL: func @conv_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3xf32>)
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], [{{\[}}[6.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.*]] = kiln.conv %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NOT: kiln.batch_norm
// CHECK: return %[[R]]
func.func @conv_bias(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = kiln.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %gamma = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = kiln.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %1 = kiln.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64} : tensor<1x2x3x3xf32>, tensor<2xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// Without a bias the new bias is the shift [0, 1]; the conv attributes
// (strides, pads, group) are kept. The weights come from a dense_resource.
// CHECK-LABEL: func @conv_no_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], [{{\[}}[6.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.*]] = kiln.conv %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x2xf32>
// CHECK-NOT: kiln.batch_norm
// CHECK: return %[[R]]
func.func @conv_no_bias(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x2xf32> {
  %w = kiln.constant dense_resource<conv_w> : tensor<2x1x1x1xf32>
  %gamma = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = kiln.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 0, 1, 0>, group = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x2xf32>
  %1 = kiln.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64} : tensor<1x2x3x2xf32>, tensor<2xf32>
  return %1 : tensor<1x2x3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv_w: "0x040000000000004000004040"
    }
  }
#-}

// -----

// Weights of more than 64 elements become a dense_resource blob; the
// default epsilon (1e-5) applies: s = 4 / sqrt(4 + 1e-5) = 1.9999975f
// (0x3FFFFFEB), bias = 0 * s + (2 - 0 * s) = 2.
// CHECK-LABEL: func @conv_large
// CHECK-DAG: %[[W:.*]] = kiln.constant dense_resource<conv_large_folded_weight> : tensor<8x3x3x3xf32>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<2.000000e+00> : tensor<8xf32>
// CHECK: kiln.conv %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT: kiln.batch_norm
// CHECK: folded_weight: "0x04000000EBFFFF3FEBFFFF3F
func.func @conv_large(%x: tensor<1x3x5x5xf32>) -> tensor<1x8x3x3xf32> {
  %w = kiln.constant dense<1.0> : tensor<8x3x3x3xf32>
  %gamma = kiln.constant dense<4.0> : tensor<8xf32>
  %beta = kiln.constant dense<2.0> : tensor<8xf32>
  %mean = kiln.constant dense<0.0> : tensor<8xf32>
  %var = kiln.constant dense<4.0> : tensor<8xf32>
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x5x5xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x3x3xf32>
  %1 = kiln.batch_norm %0, %gamma, %beta, %mean, %var : tensor<1x8x3x3xf32>, tensor<8xf32>
  return %1 : tensor<1x8x3x3xf32>
}

// -----

// gemm, B = [[1, 2], [3, 4]] as K x N: columns scale by s -> [[0.5, 4],
// [1.5, 8]]; C = [1, 1] with beta 2 -> 2 * C * s + shift = [1, 5] and beta 1
// (elided); alpha stays.
// CHECK-LABEL: func @gemm
// CHECK-SAME: (%[[A:.*]]: tensor<3x2xf32>)
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<{{\[}}[5.000000e-01, 4.000000e+00], [1.500000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[C:.*]] = kiln.constant dense<[1.000000e+00, 5.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.*]] = kiln.gemm %[[A]], %[[B]], %[[C]] {alpha = 5.000000e-01 : f64} : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
// CHECK-NOT: kiln.batch_norm
// CHECK: return %[[R]]
func.func @gemm(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = kiln.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c = kiln.constant dense<1.0> : tensor<1x2xf32>
  %gamma = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = kiln.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = kiln.gemm %a, %b, %c {alpha = 0.5 : f64, beta = 2.0 : f64} : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
  %1 = kiln.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64} : tensor<3x2xf32>, tensor<2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// trans_b: B = [[1, 2], [3, 4]] is N x K, rows scale by s -> [[0.5, 1],
// [6, 8]]; no C: C = shift = [0, 1].
// CHECK-LABEL: func @gemm_trans_b
// CHECK-SAME: (%[[A:.*]]: tensor<3x2xf32>)
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<{{\[}}[5.000000e-01, 1.000000e+00], [6.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[C:.*]] = kiln.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.*]] = kiln.gemm %[[A]], %[[B]], %[[C]] {trans_b = true} : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
// CHECK-NOT: kiln.batch_norm
// CHECK: return %[[R]]
func.func @gemm_trans_b(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = kiln.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %gamma = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = kiln.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %mean = kiln.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = kiln.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = kiln.gemm %a, %b {trans_b = true} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %1 = kiln.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64} : tensor<3x2xf32>, tensor<2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// A scalar C with one output column (used to crash the pass):
// s = 3, shift = 1 - 1 * 3 = -2; B = [[2], [4]] -> [[6], [12]];
// C = 1 * 3 - 2 = 1.
// CHECK-LABEL: func @gemm_scalar_c
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<{{\[}}[6.000000e+00], [1.200000e+01]]> : tensor<2x1xf32>
// CHECK-DAG: %[[C:.*]] = kiln.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK: kiln.gemm %{{.*}}, %[[B]], %[[C]] : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<1xf32>) -> tensor<3x1xf32>
// CHECK-NOT: kiln.batch_norm
func.func @gemm_scalar_c(%a: tensor<3x2xf32>) -> tensor<3x1xf32> {
  %b = kiln.constant dense<[[2.0], [4.0]]> : tensor<2x1xf32>
  %c = kiln.constant dense<1.0> : tensor<f32>
  %gamma = kiln.constant dense<3.0> : tensor<1xf32>
  %beta = kiln.constant dense<1.0> : tensor<1xf32>
  %mean = kiln.constant dense<1.0> : tensor<1xf32>
  %var = kiln.constant dense<0.0> : tensor<1xf32>
  %0 = kiln.gemm %a, %b, %c : (tensor<3x2xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<3x1xf32>
  %1 = kiln.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64} : tensor<3x1xf32>, tensor<1xf32>
  return %1 : tensor<3x1xf32>
}

// -----

// Negative cases: the IR is left unchanged.

// CHECK-LABEL: func @not_conv
// CHECK: %[[R:.*]] = kiln.relu
// CHECK: %[[BN:.*]] = kiln.batch_norm %[[R]]
// CHECK: return %[[BN]]
func.func @not_conv(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %c = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.relu %x : tensor<1x2x3x3xf32>
  %1 = kiln.batch_norm %0, %c, %c, %c, %c : tensor<1x2x3x3xf32>, tensor<2xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// CHECK-LABEL: func @conv_two_uses
// CHECK: %[[W:.*]] = kiln.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[3.000000e+00]]]]>
// CHECK: %[[CONV:.*]] = kiln.conv %{{.*}}, %[[W]] {
// CHECK: %[[BN:.*]] = kiln.batch_norm %[[CONV]]
// CHECK: return %[[BN]], %[[CONV]]
func.func @conv_two_uses(%x: tensor<1x1x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %c = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = kiln.batch_norm %0, %c, %c, %c, %c : tensor<1x2x3x3xf32>, tensor<2xf32>
  return %1, %0 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// CHECK-LABEL: func @conv_weights_not_constant
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3xf32>, %[[W:.*]]: tensor<2x1x1x1xf32>)
// CHECK: %[[CONV:.*]] = kiln.conv %[[X]], %[[W]] {
// CHECK: %[[BN:.*]] = kiln.batch_norm %[[CONV]]
// CHECK: return %[[BN]]
func.func @conv_weights_not_constant(%x: tensor<1x1x3x3xf32>, %w: tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32> {
  %c = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = kiln.batch_norm %0, %c, %c, %c, %c : tensor<1x2x3x3xf32>, tensor<2xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// CHECK-LABEL: func @conv_bias_not_constant
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK: %[[CONV:.*]] = kiln.conv %[[X]], %{{.*}}, %[[B]] {
// CHECK: %[[BN:.*]] = kiln.batch_norm %[[CONV]]
// CHECK: return %[[BN]]
func.func @conv_bias_not_constant(%x: tensor<1x1x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %c = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %1 = kiln.batch_norm %0, %c, %c, %c, %c : tensor<1x2x3x3xf32>, tensor<2xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// CHECK-LABEL: func @bn_params_not_constant
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3xf32>, %[[MEAN:.*]]: tensor<2xf32>)
// CHECK: %[[CONV:.*]] = kiln.conv %[[X]]
// CHECK: %[[BN:.*]] = kiln.batch_norm %[[CONV]], %{{.*}}, %{{.*}}, %[[MEAN]], %{{.*}} :
// CHECK: return %[[BN]]
func.func @bn_params_not_constant(%x: tensor<1x1x3x3xf32>, %mean: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %w = kiln.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %c = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = kiln.batch_norm %0, %c, %c, %mean, %c : tensor<1x2x3x3xf32>, tensor<2xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// C that is not a per-column bias ([M, N]) cannot absorb the shift.
// CHECK-LABEL: func @gemm_full_c
// CHECK: %[[G:.*]] = kiln.gemm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK: %[[BN:.*]] = kiln.batch_norm %[[G]]
// CHECK: return %[[BN]]
func.func @gemm_full_c(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %b = kiln.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c = kiln.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %p = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.gemm %a, %b, %c : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %1 = kiln.batch_norm %0, %p, %p, %p, %p : tensor<2x2xf32>, tensor<2xf32>
  return %1 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func @gemm_b_not_constant
// CHECK-SAME: (%[[A:.*]]: tensor<2x2xf32>, %[[B:.*]]: tensor<2x2xf32>)
// CHECK: %[[G:.*]] = kiln.gemm %[[A]], %[[B]] :
// CHECK: %[[BN:.*]] = kiln.batch_norm %[[G]]
// CHECK: return %[[BN]]
func.func @gemm_b_not_constant(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %p = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.gemm %a, %b : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %1 = kiln.batch_norm %0, %p, %p, %p, %p : tensor<2x2xf32>, tensor<2xf32>
  return %1 : tensor<2x2xf32>
}
