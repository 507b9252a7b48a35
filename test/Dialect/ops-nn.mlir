// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip of the activation, arg/top-k, cumsum, einsum and pooling-index
// ops, with their default and explicit attributes.

// CHECK-LABEL: func @trig
func.func @trig(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: kiln.acos %{{.*}} : tensor<2x3xf32>
  %0 = kiln.acos %x : tensor<2x3xf32>
  // CHECK: kiln.acosh
  %1 = kiln.acosh %0 : tensor<2x3xf32>
  // CHECK: kiln.asin
  %2 = kiln.asin %1 : tensor<2x3xf32>
  // CHECK: kiln.asinh
  %3 = kiln.asinh %2 : tensor<2x3xf32>
  // CHECK: kiln.atan
  %4 = kiln.atan %3 : tensor<2x3xf32>
  // CHECK: kiln.atanh
  %5 = kiln.atanh %4 : tensor<2x3xf32>
  // CHECK: kiln.cosh
  %6 = kiln.cosh %5 : tensor<2x3xf32>
  // CHECK: kiln.sinh
  %7 = kiln.sinh %6 : tensor<2x3xf32>
  // CHECK: kiln.tan
  %8 = kiln.tan %7 : tensor<2x3xf32>
  // CHECK: kiln.softplus {{.*}} : tensor<2x3xf32>
  %9 = kiln.softplus %8 : tensor<2x3xf32>
  return %9 : tensor<2x3xf32>
}

// CHECK-LABEL: func @activations
func.func @activations(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // Default attributes are elided.
  // CHECK: kiln.elu %{{.*}} : tensor<4xf32>
  %0 = kiln.elu %x : tensor<4xf32>
  // CHECK: kiln.elu %{{.*}} {alpha = 2.000000e+00 : f64} : tensor<4xf32>
  %1 = kiln.elu %x {alpha = 2.0 : f64} : tensor<4xf32>
  // CHECK: kiln.thresholded_relu %{{.*}} {alpha = 5.000000e-01 : f64} : tensor<4xf32>
  %2 = kiln.thresholded_relu %x {alpha = 0.5 : f64} : tensor<4xf32>
  // CHECK: kiln.shrink %{{.*}} : tensor<4xf32>
  %3 = kiln.shrink %x : tensor<4xf32>
  // CHECK: kiln.shrink %{{.*}} {bias = 1.500000e+00 : f64, lambd = 1.500000e+00 : f64} : tensor<4xf32>
  %4 = kiln.shrink %x {bias = 1.5 : f64, lambd = 1.5 : f64} : tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func @arg
func.func @arg(%x: tensor<2x3x4xf32>, %i: tensor<5xi32>) -> (tensor<2x1x4xi64>, tensor<2x4xi64>, tensor<1xi64>) {
  // CHECK: kiln.arg_max %{{.*}} {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x1x4xi64>
  %0 = kiln.arg_max %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x1x4xi64>
  // CHECK: kiln.arg_min %{{.*}} {axis = 1 : i64, keepdims = false, select_last_index = true} : tensor<2x3x4xf32> -> tensor<2x4xi64>
  %1 = kiln.arg_min %x {axis = 1 : i64, keepdims = false, select_last_index = true} : tensor<2x3x4xf32> -> tensor<2x4xi64>
  // CHECK: kiln.arg_max %{{.*}} {axis = 0 : i64} : tensor<5xi32> -> tensor<1xi64>
  %2 = kiln.arg_max %i {axis = 0 : i64} : tensor<5xi32> -> tensor<1xi64>
  return %0, %1, %2 : tensor<2x1x4xi64>, tensor<2x4xi64>, tensor<1xi64>
}

// CHECK-LABEL: func @hardmax_cumsum
func.func @hardmax_cumsum(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi64>) {
  // CHECK: kiln.hardmax %{{.*}} {axis = 1 : i64} : tensor<2x3xf32>
  %0 = kiln.hardmax %x {axis = 1 : i64} : tensor<2x3xf32>
  // CHECK: kiln.cumsum %{{.*}} {axis = 0 : i64, exclusive = true, reverse = true} : tensor<2x3xf32>
  %1 = kiln.cumsum %x {axis = 0 : i64, exclusive = true, reverse = true} : tensor<2x3xf32>
  // CHECK: kiln.cumsum %{{.*}} {axis = 1 : i64} : tensor<2x3xi64>
  %2 = kiln.cumsum %i {axis = 1 : i64} : tensor<2x3xi64>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi64>
}

// CHECK-LABEL: func @top_k
func.func @top_k(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>, tensor<1x4xf32>, tensor<1x4xi64>) {
  // CHECK: kiln.top_k %{{.*}} {axis = 1 : i64, k = 2 : i64} : tensor<3x4xf32> -> tensor<3x2xf32>, tensor<3x2xi64>
  %v, %i = kiln.top_k %x {k = 2 : i64, axis = 1 : i64} : tensor<3x4xf32> -> tensor<3x2xf32>, tensor<3x2xi64>
  // CHECK: kiln.top_k %{{.*}} {axis = 0 : i64, k = 1 : i64, largest = false}
  %v2, %i2 = kiln.top_k %x {k = 1 : i64, axis = 0 : i64, largest = false} : tensor<3x4xf32> -> tensor<1x4xf32>, tensor<1x4xi64>
  return %v, %i, %v2, %i2 : tensor<3x2xf32>, tensor<3x2xi64>, tensor<1x4xf32>, tensor<1x4xi64>
}

// CHECK-LABEL: func @einsum
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %d: tensor<3x3xf32>) -> (tensor<2x3x5xf32>, tensor<3xf32>) {
  // CHECK: kiln.einsum %{{.*}}, %{{.*}} {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %0 = kiln.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  // CHECK: kiln.einsum %{{.*}} {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<3xf32>
  %1 = kiln.einsum %d {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<2x3x5xf32>, tensor<3xf32>
}

// CHECK-LABEL: func @max_pool_indices
func.func @max_pool_indices(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xi64>, tensor<1x2x3x3xi64>) {
  // CHECK: kiln.max_pool_indices %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x2x5x5xf32> -> tensor<1x2x2x2xi64>
  %0 = kiln.max_pool_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x5x5xf32> -> tensor<1x2x2x2xi64>
  // CHECK: kiln.max_pool_indices {{.*}}ceil_mode = true, column_major = true
  %1 = kiln.max_pool_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true, column_major = true} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xi64>
  return %0, %1 : tensor<1x2x2x2xi64>, tensor<1x2x3x3xi64>
}
