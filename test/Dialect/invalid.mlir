// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Every verifier and type-inference diagnostic of the kiln ops. Inference
// failures report the cause, then that the result type could not be inferred.

func.func @add_no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error@+2 {{shapes [2,3] and [4] do not broadcast}}
  // expected-error@+1 {{'kiln.add' op failed to infer returned types}}
  %0 = kiln.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @mul_element_types(%a: tensor<2xf32>, %b: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error@+2 {{operand element types differ: 'f32' vs 'i32'}}
  // expected-error@+1 {{'kiln.mul' op failed to infer returned types}}
  %0 = kiln.mul %a, %b : tensor<2xf32>, tensor<2xi32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @sub_result_mismatch(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x1xf32> {
  // expected-error@+2 {{'kiln.sub' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error@+1 {{'kiln.sub' op failed to infer returned types}}
  %0 = kiln.sub %a, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @where_condition(%c: tensor<4xi1>, %a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+2 {{condition shape [4] does not broadcast with [2,3]}}
  // expected-error@+1 {{'kiln.where' op failed to infer returned types}}
  %0 = kiln.where %c, %a, %b : tensor<4xi1>, tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @where_values(%c: tensor<2x3xi1>, %a: tensor<2x3xf32>, %b: tensor<2x2xf32>) -> tensor<2x3xf32> {
  // expected-error@+2 {{shapes [2,3] and [2,2] do not broadcast}}
  // expected-error@+1 {{'kiln.where' op failed to infer returned types}}
  %0 = kiln.where %c, %a, %b : tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x2xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @unary_type(%a: tensor<2xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{'kiln.relu' op all non-scalar operands/results must have the same shape and base type}}
  %0 = "kiln.relu"(%a) : (tensor<2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @unary_int(%a: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error@+1 {{'kiln.exp' op operand #0 must be ranked tensor of floating-point values}}
  %0 = kiln.exp %a : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @cast_shape(%a: tensor<2xf32>) -> tensor<3xi32> {
  // expected-error@+1 {{'kiln.cast' op all non-scalar operands/results must have the same shape and base type}}
  %0 = kiln.cast %a : tensor<2xf32> to tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @clip_min_gt_max(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'kiln.clip' op min (2.000000e+00) is greater than max (1.000000e+00)}}
  %0 = kiln.clip %a {min = 2.0 : f64, max = 1.0 : f64} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @constant_type() -> tensor<3xf32> {
  // expected-error@+1 {{'kiln.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "kiln.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @matmul_rank(%a: tensor<3xf32>, %b: tensor<3x4xf32>) -> tensor<4xf32> {
  // expected-error@+2 {{operands must have rank >= 2, got 1 and 2}}
  // expected-error@+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<3xf32>, tensor<3x4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error@+2 {{contraction sizes differ: lhs [2,3] rhs [4,5]}}
  // expected-error@+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32> -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error@+2 {{batch dimensions of [2,3,4] and [3,4,5] do not broadcast}}
  // expected-error@+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<2x3x4xf32>, tensor<3x4x5xf32> -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

func.func @matmul_element_types(%a: tensor<2x3xf32>, %b: tensor<3x5xf16>) -> tensor<2x5xf32> {
  // expected-error@+2 {{operand element types differ}}
  // expected-error@+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<3x5xf16> -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @gemm_rank(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'kiln.gemm' op A and B must be 2-D}}
  %0 = kiln.gemm %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @gemm_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error@+1 {{'kiln.gemm' op contraction sizes differ: 3 vs 4}}
  %0 = kiln.gemm %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @gemm_contraction_trans(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<3x4xf32> {
  // trans_a makes A 3x2: K = 2 against B^T's 3.
  // expected-error@+1 {{'kiln.gemm' op contraction sizes differ: 2 vs 3}}
  %0 = kiln.gemm %a, %b {trans_a = true, trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @gemm_c_shape(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error@+1 {{'kiln.gemm' op C of shape [3,4] does not broadcast to [2,4]}}
  %0 = kiln.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @gemm_c_rank(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<1x2x4xf32>) -> tensor<2x4xf32> {
  // C may broadcast to the result but not widen it.
  // expected-error@+1 {{'kiln.gemm' op C of shape [1,2,4] does not broadcast to [2,4]}}
  %0 = kiln.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<1x2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @gemm_result(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<4x2xf32> {
  // expected-error@+2 {{'kiln.gemm' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<4x2xf32>'}}
  // expected-error@+1 {{'kiln.gemm' op failed to infer returned types}}
  %0 = kiln.gemm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @conv_rank(%x: tensor<4xf32>, %w: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'kiln.conv' op input rank 1 and filter rank 1 must be equal and >= 3}}
  %0 = kiln.conv %x, %w {strides = array<i64>, dilations = array<i64>, pads = array<i64>} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @conv_rank_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+1 {{'kiln.conv' op input rank 4 and filter rank 3 must be equal and >= 3}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_group_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+1 {{'kiln.conv' op group must be >= 1, got 0}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_group_divisibility(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error@+1 {{'kiln.conv' op channels (4) and filters (6) must be divisible by group 4}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error@+1 {{'kiln.conv' op filter expects 6 input channels, input has 4}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+1 {{'kiln.conv' op strides and dilations must be >= 1}}
  %0 = kiln.conv %x, %w {strides = array<i64: 0, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_dilation(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+1 {{'kiln.conv' op strides and dilations must be >= 1}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, -1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_negative_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x5x6xf32> {
  // expected-error@+1 {{'kiln.conv' op pads must be non-negative}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: -1, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x6xf32>
  return %0 : tensor<1x4x5x6xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+1 {{'kiln.conv' op bias must be 1-D with 4 elements}}
  %0 = kiln.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_attr_lengths(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+2 {{expected 2 strides/dilations and 4 pads}}
  // expected-error@+1 {{'kiln.conv' op failed to infer returned types}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_window_too_large(%x: tensor<1x3x3x8xf32>, %w: tensor<4x3x5x3xf32>) -> tensor<1x4x?x6xf32> {
  // A window larger than the padded input used to infer a negative
  // (kDynamic-looking) extent and be accepted.
  // expected-error@+2 {{filter window of spatial dim 0 does not fit the padded input}}
  // expected-error@+1 {{'kiln.conv' op failed to infer returned types}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x8xf32>, tensor<4x3x5x3xf32>) -> tensor<1x4x?x6xf32>
  return %0 : tensor<1x4x?x6xf32>
}

// -----

func.func @conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error@+2 {{'kiln.conv' op inferred type(s) 'tensor<1x4x4x4xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  // expected-error@+1 {{'kiln.conv' op failed to infer returned types}}
  %0 = kiln.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @batch_norm_rank(%x: tensor<3xf32>, %c: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{'kiln.batch_norm' op input must have rank >= 2}}
  %0 = kiln.batch_norm %x, %c, %c, %c, %c : tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @batch_norm_params(%x: tensor<2x3x4xf32>, %c: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // expected-error@+1 {{'kiln.batch_norm' op scale, bias, mean and variance must be 1-D with 3 elements, got [4]}}
  %0 = kiln.batch_norm %x, %c, %c, %c, %c : tensor<2x3x4xf32>, tensor<4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @batch_norm_param_rank(%x: tensor<2x3xf32>, %c: tensor<1x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'kiln.batch_norm' op scale, bias, mean and variance must be 1-D with 3 elements, got [1,3]}}
  %0 = kiln.batch_norm %x, %c, %c, %c, %c : tensor<2x3xf32>, tensor<1x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @batch_norm_param_types(%x: tensor<2x3xf32>, %c: tensor<3xf32>, %d: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'kiln.batch_norm' op failed to verify that all of {scale, bias, mean, variance} have same type}}
  %0 = "kiln.batch_norm"(%x, %c, %c, %d, %c) : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf16>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_axis(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // expected-error@+1 {{'kiln.layer_norm' op axis 3 out of range for rank 3}}
  %0 = kiln.layer_norm %x, %s {axis = 3 : i64} : tensor<2x3x4xf32>, tensor<4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @layer_norm_negative_axis(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // Axes are normalized at import.
  // expected-error@+1 {{'kiln.layer_norm' op axis -1 out of range for rank 3}}
  %0 = kiln.layer_norm %x, %s {axis = -1 : i64} : tensor<2x3x4xf32>, tensor<4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @layer_norm_scale(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>) -> tensor<2x3x4xf32> {
  // expected-error@+1 {{'kiln.layer_norm' op scale/bias shape [3] does not broadcast to the normalized shape [4]}}
  %0 = kiln.layer_norm %x, %s {axis = 2 : i64} : tensor<2x3x4xf32>, tensor<3xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @layer_norm_bias(%x: tensor<2x3x4xf32>, %s: tensor<3x4xf32>, %b: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error@+1 {{'kiln.layer_norm' op scale/bias shape [2,3,4] does not broadcast to the normalized shape [3,4]}}
  %0 = kiln.layer_norm %x, %s, %b {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @softmax_axis(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  // expected-error@+1 {{'kiln.softmax' op axis 2 out of range for rank 2}}
  %0 = kiln.softmax %x {axis = 2 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @softmax_negative_axis(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  // expected-error@+1 {{'kiln.softmax' op axis -1 out of range for rank 2}}
  %0 = kiln.softmax %x {axis = -1 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @pool_lengths(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error@+2 {{expected 2 kernel sizes/strides/dilations and 4 pads for input rank 4}}
  // expected-error@+1 {{'kiln.max_pool' op failed to infer returned types}}
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @pool_pad_lengths(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error@+2 {{expected 2 kernel sizes/strides/dilations and 4 pads for input rank 4}}
  // expected-error@+1 {{'kiln.avg_pool' op failed to infer returned types}}
  %0 = kiln.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @pool_rank(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error@+2 {{expected 0 kernel sizes/strides/dilations and 0 pads for input rank 2}}
  // expected-error@+1 {{'kiln.max_pool' op failed to infer returned types}}
  %0 = kiln.max_pool %x {kernel_shape = array<i64>, strides = array<i64>, dilations = array<i64>, pads = array<i64>} : tensor<2x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @pool_kernel(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error@+1 {{'kiln.max_pool' op kernel sizes, strides and dilations must be >= 1}}
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 0, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @pool_stride(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error@+1 {{'kiln.avg_pool' op kernel sizes, strides and dilations must be >= 1}}
  %0 = kiln.avg_pool %x {kernel_shape = array<i64: 1, 1>, strides = array<i64: 0, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @pool_pads(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x7x8xf32> {
  // expected-error@+1 {{'kiln.max_pool' op pads must be non-negative}}
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, -1, 0>} : tensor<1x2x8x8xf32> -> tensor<1x2x7x8xf32>
  return %0 : tensor<1x2x7x8xf32>
}

// -----

func.func @pool_window_too_large(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x?x8xf32> {
  // expected-error@+2 {{pooling window of spatial dim 0 does not fit the padded input}}
  // expected-error@+1 {{'kiln.max_pool' op failed to infer returned types}}
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 4, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x2x8xf32> -> tensor<1x2x?x8xf32>
  return %0 : tensor<1x2x?x8xf32>
}

// -----

func.func @pool_result(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x3x3xf32> {
  // ceil_mode rounds the output extent up.
  // expected-error@+2 {{'kiln.max_pool' op inferred type(s) 'tensor<1x2x4x4xf32>' are incompatible with return type(s) of operation 'tensor<1x2x3x3xf32>'}}
  // expected-error@+1 {{'kiln.max_pool' op failed to infer returned types}}
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : tensor<1x2x7x7xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

func.func @reduce_axis_range(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error@+2 {{axis 3 out of range for rank 3}}
  // expected-error@+1 {{'kiln.reduce_sum' op failed to infer returned types}}
  %0 = kiln.reduce_sum %x {axes = array<i64: 3>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @reduce_negative_axis(%x: tensor<2x3x4xf32>) -> tensor<2x3x1xf32> {
  // expected-error@+2 {{axis -1 out of range for rank 3}}
  // expected-error@+1 {{'kiln.reduce_max' op failed to infer returned types}}
  %0 = kiln.reduce_max %x {axes = array<i64: -1>} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
  return %0 : tensor<2x3x1xf32>
}

// -----

func.func @reduce_duplicate_axes(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  // expected-error@+1 {{'kiln.reduce_mean' op axes must be unique}}
  %0 = kiln.reduce_mean %x {axes = array<i64: 1, 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

func.func @reduce_keepdims_result(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  // expected-error@+2 {{'kiln.reduce_prod' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<2x1x4xf32>'}}
  // expected-error@+1 {{'kiln.reduce_prod' op failed to infer returned types}}
  %0 = kiln.reduce_prod %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'kiln.reshape' op cannot reshape [2,3] (6 elements) to [4] (4 elements)}}
  %0 = kiln.reshape %x : tensor<2x3xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error@+1 {{'kiln.reshape' op element type changes from 'f32' to 'i32'}}
  %0 = kiln.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

func.func @transpose_perm_length(%x: tensor<2x3x4xf32>) -> tensor<3x2xf32> {
  // expected-error@+2 {{perm has 2 entries for rank 3}}
  // expected-error@+1 {{'kiln.transpose' op failed to infer returned types}}
  %0 = kiln.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3x4xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_not_permutation(%x: tensor<2x3x4xf32>) -> tensor<2x2x3xf32> {
  // expected-error@+2 {{perm [0,0,1] is not a permutation}}
  // expected-error@+1 {{'kiln.transpose' op failed to infer returned types}}
  %0 = kiln.transpose %x {perm = array<i64: 0, 0, 1>} : tensor<2x3x4xf32> -> tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error@+2 {{perm [1,2] is not a permutation}}
  // expected-error@+1 {{'kiln.transpose' op failed to infer returned types}}
  %0 = kiln.transpose %x {perm = array<i64: 1, 2>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_result(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  // expected-error@+2 {{'kiln.transpose' op inferred type(s) 'tensor<3x4x2xf32>' are incompatible with return type(s) of operation 'tensor<4x3x2xf32>'}}
  // expected-error@+1 {{'kiln.transpose' op failed to infer returned types}}
  %0 = kiln.transpose %x {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
  return %0 : tensor<4x3x2xf32>
}

// -----

func.func @concat_empty() -> tensor<0xf32> {
  // expected-error@+2 {{needs at least one input}}
  // expected-error@+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat {axis = 0 : i64} : () -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error@+2 {{axis 2 out of range for rank 2}}
  // expected-error@+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_shape(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x6xf32> {
  // expected-error@+2 {{input shapes [2,3] and [4,3] differ in dim 0}}
  // expected-error@+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) -> tensor<2x6xf32> {
  // expected-error@+2 {{inputs differ in rank or element type}}
  // expected-error@+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xi32>) -> tensor<2x6xf32> {
  // expected-error@+2 {{inputs differ in rank or element type}}
  // expected-error@+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_lengths(%x: tensor<4x4xf32>) -> tensor<2x4xf32> {
  // expected-error@+2 {{expected 2 starts, ends and steps}}
  // expected-error@+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %x {starts = array<i64: 0>, ends = array<i64: 2>, steps = array<i64: 1>} : tensor<4x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error@+2 {{step of dim 0 is zero}}
  // expected-error@+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %x {starts = array<i64: 0>, ends = array<i64: 2>, steps = array<i64: 0>} : tensor<4xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @slice_end_past_dim(%x: tensor<4xf32>) -> tensor<4xf32> {
  // Ends are clamped at import: 5 is not normalized for size 4.
  // expected-error@+2 {{slice [0:5:1] of dim 0 (size 4) is not normalized}}
  // expected-error@+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %x {starts = array<i64: 0>, ends = array<i64: 5>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @slice_negative_start(%x: tensor<4xf32>) -> tensor<1xf32> {
  // expected-error@+2 {{slice [-1:4:1] of dim 0 (size 4) is not normalized}}
  // expected-error@+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %x {starts = array<i64: -1>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @slice_negative_step_start(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // With a negative step the start must be a valid index (< size).
  // expected-error@+2 {{slice [4:-1:-1] of dim 1 (size 4) is not normalized}}
  // expected-error@+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %x {starts = array<i64: 0, 4>, ends = array<i64: 1, -1>, steps = array<i64: 1, -1>} : tensor<1x4xf32> -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @slice_result(%x: tensor<8xf32>) -> tensor<3xf32> {
  // 8 elements from 7 down to 0 by -2: 7, 5, 3, 1.
  // expected-error@+2 {{'kiln.slice' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error@+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %x {starts = array<i64: 7>, ends = array<i64: -1>, steps = array<i64: -2>} : tensor<8xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @gather_axis(%x: tensor<2x3xf32>, %i: tensor<4xi64>) -> tensor<2x3x4xf32> {
  // expected-error@+2 {{axis 2 out of range for rank 2}}
  // expected-error@+1 {{'kiln.gather' op failed to infer returned types}}
  %0 = kiln.gather %x, %i {axis = 2 : i64} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @gather_index_type(%x: tensor<2x3xf32>, %i: tensor<4xf32>) -> tensor<4x3xf32> {
  // expected-error@+1 {{'kiln.gather' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = kiln.gather %x, %i {axis = 0 : i64} : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gather_result(%x: tensor<2x3xf32>, %i: tensor<4xi32>) -> tensor<4x3xf32> {
  // expected-error@+2 {{'kiln.gather' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>'}}
  // expected-error@+1 {{'kiln.gather' op failed to infer returned types}}
  %0 = kiln.gather %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4xi32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @pad_lengths(%x: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error@+2 {{expected 4 pads, got 2}}
  // expected-error@+1 {{'kiln.pad' op failed to infer returned types}}
  %0 = kiln.pad %x {pads = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>) -> tensor<1x3xf32> {
  // expected-error@+1 {{'kiln.pad' op pads must be non-negative}}
  %0 = kiln.pad %x {pads = array<i64: -1, 0, 0, 0>} : tensor<2x3xf32> -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @pad_mode(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error@+1 {{'kiln.pad' op mode must be constant, reflect or edge, got 'wrap'}}
  %0 = kiln.pad %x {pads = array<i64: 1, 0, 1, 0>, mode = "wrap"} : tensor<2x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @pad_reflect_too_wide(%x: tensor<2x3xf32>) -> tensor<2x7xf32> {
  // Reflection needs pads smaller than the dimension.
  // expected-error@+1 {{'kiln.pad' op reflect pads must be smaller than the input dimension 1 (size 3)}}
  %0 = kiln.pad %x {pads = array<i64: 0, 3, 0, 1>, mode = "reflect"} : tensor<2x3xf32> -> tensor<2x7xf32>
  return %0 : tensor<2x7xf32>
}

// -----

func.func @pad_result(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error@+2 {{'kiln.pad' op inferred type(s) 'tensor<3x4xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>'}}
  // expected-error@+1 {{'kiln.pad' op failed to infer returned types}}
  %0 = kiln.pad %x {pads = array<i64: 1, 0, 0, 1>} : tensor<2x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @expand_shape(%x: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error@+1 {{'kiln.expand' op cannot broadcast 'tensor<3xf32>' to 'tensor<2x4xf32>'}}
  %0 = kiln.expand %x : tensor<3xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @expand_shrinks(%x: tensor<2x3xf32>) -> tensor<1x3xf32> {
  // Expand can only grow: broadcast([2,3], [1,3]) is [2,3].
  // expected-error@+1 {{'kiln.expand' op cannot broadcast 'tensor<2x3xf32>' to 'tensor<1x3xf32>'}}
  %0 = kiln.expand %x : tensor<2x3xf32> -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @expand_element_type(%x: tensor<3xf32>) -> tensor<2x3xf16> {
  // expected-error@+1 {{'kiln.expand' op cannot broadcast 'tensor<3xf32>' to 'tensor<2x3xf16>'}}
  %0 = kiln.expand %x : tensor<3xf32> -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

func.func @pad_edge_empty(%x: tensor<0x3xf32>) -> tensor<2x3xf32> {
  // There is no edge value to replicate in an empty dimension.
  // expected-error@+1 {{'kiln.pad' op edge padding of the empty dimension 0}}
  %0 = kiln.pad %x {pads = array<i64: 1, 0, 1, 0>, mode = "edge"} : tensor<0x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
