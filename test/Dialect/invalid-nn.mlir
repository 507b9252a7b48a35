// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier and type-inference diagnostics of the arg/top-k, hardmax,
// cumsum, einsum and pooling-index ops.

func.func @arg_axis(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error@+2 {{axis 2 out of range for rank 2}}
  // expected-error@+1 {{'kiln.arg_max' op failed to infer returned types}}
  %0 = kiln.arg_max %x {axis = 2 : i64} : tensor<2x3xf32> -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @arg_empty(%x: tensor<2x0xf32>) -> tensor<2x1xi64> {
  // expected-error@+2 {{axis 1 is empty}}
  // expected-error@+1 {{'kiln.arg_min' op failed to infer returned types}}
  %0 = kiln.arg_min %x {axis = 1 : i64} : tensor<2x0xf32> -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @arg_keepdims(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error@+2 {{'kiln.arg_max' op inferred type(s) 'tensor<2xi64>' are incompatible with return type(s) of operation 'tensor<2x1xi64>'}}
  // expected-error@+1 {{'kiln.arg_max' op failed to infer returned types}}
  %0 = kiln.arg_max %x {axis = 1 : i64, keepdims = false} : tensor<2x3xf32> -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @hardmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'kiln.hardmax' op axis -1 out of range for rank 2}}
  %0 = kiln.hardmax %x {axis = -1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cumsum_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'kiln.cumsum' op axis 2 out of range for rank 2}}
  %0 = kiln.cumsum %x {axis = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @top_k_too_many(%x: tensor<3x4xf32>) -> (tensor<3x5xf32>, tensor<3x5xi64>) {
  // expected-error@+2 {{k = 5 is not in [0, 4]}}
  // expected-error@+1 {{'kiln.top_k' op failed to infer returned types}}
  %v, %i = kiln.top_k %x {k = 5 : i64, axis = 1 : i64} : tensor<3x4xf32> -> tensor<3x5xf32>, tensor<3x5xi64>
  return %v, %i : tensor<3x5xf32>, tensor<3x5xi64>
}

// -----

func.func @top_k_axis(%x: tensor<3x4xf32>) -> (tensor<3x1xf32>, tensor<3x1xi64>) {
  // expected-error@+2 {{axis 2 out of range for rank 2}}
  // expected-error@+1 {{'kiln.top_k' op failed to infer returned types}}
  %v, %i = kiln.top_k %x {k = 1 : i64, axis = 2 : i64} : tensor<3x4xf32> -> tensor<3x1xf32>, tensor<3x1xi64>
  return %v, %i : tensor<3x1xf32>, tensor<3x1xi64>
}

// -----

func.func @einsum_syntax(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error@+1 {{'kiln.einsum' op equation 'ij' is not of the form 'ab,bc->ac' (letters only)}}
  %0 = kiln.einsum %a {equation = "ij"} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @einsum_ellipsis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'kiln.einsum' op equation '...->...' is not of the form 'ab,bc->ac' (letters only)}}
  %0 = kiln.einsum %a {equation = "...->..."} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_terms(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'kiln.einsum' op equation has 2 operand terms for 1 operands}}
  %0 = kiln.einsum %a {equation = "ij,jk->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_rank(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'kiln.einsum' op term 'ijk' names 3 dims of a rank 2 operand}}
  %0 = kiln.einsum %a {equation = "ijk->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @einsum_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error@+1 {{'kiln.einsum' op dimension 'j' has sizes 3 and 4}}
  %0 = kiln.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @einsum_unknown(%a: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error@+1 {{'kiln.einsum' op result dimension 'k' names no operand dim}}
  %0 = kiln.einsum %a {equation = "ij->ik"} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @einsum_repeated(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {
  // expected-error@+1 {{'kiln.einsum' op result dimension 'i' is repeated}}
  %0 = kiln.einsum %a {equation = "ij->ii"} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @einsum_shape(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'kiln.einsum' op result shape should be [3,2]}}
  %0 = kiln.einsum %a {equation = "ij->ji"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @einsum_types(%a: tensor<2x3xf32>) -> tensor<3x2xf64> {
  // expected-error@+1 {{'kiln.einsum' op operand element type 'f32' differs from the result's}}
  %0 = kiln.einsum %a {equation = "ij->ji"} : (tensor<2x3xf32>) -> tensor<3x2xf64>
  return %0 : tensor<3x2xf64>
}

// -----

func.func @max_pool_indices_kernel(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xi64> {
  // expected-error@+1 {{'kiln.max_pool_indices' op kernel sizes, strides and dilations must be >= 1}}
  %0 = kiln.max_pool_indices %x {kernel_shape = array<i64: 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xi64>
  return %0 : tensor<1x1x4x4xi64>
}

// -----

func.func @conv_channels_last_1d(%x: tensor<1x5x2xf32>, %w: tensor<1x2x2xf32>) -> tensor<1x5x2xf32> {
  // expected-error@+1 {{channels_last convolutions must be 2-D}}
  %0 = kiln.conv %x, %w {channels_last = true, strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>} : (tensor<1x5x2xf32>, tensor<1x2x2xf32>) -> tensor<1x5x2xf32>
  return %0 : tensor<1x5x2xf32>
}

// -----

func.func @conv_channels_last_channels(%x: tensor<1x4x4x3xf32>, %w: tensor<3x3x2x8xf32>) -> tensor<1x2x2x8xf32> {
  // expected-error@+1 {{filter expects 2 input channels, input has 3}}
  %0 = kiln.conv %x, %w {channels_last = true, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x3xf32>, tensor<3x3x2x8xf32>) -> tensor<1x2x2x8xf32>
  return %0 : tensor<1x2x2x8xf32>
}
