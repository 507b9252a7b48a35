// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip of every kiln op, including the optional operands and
// attributes.

// CHECK-LABEL: func @constants
func.func @constants() -> (tensor<2xf32>, tensor<2x2xf32>, tensor<3xi64>) {
  // CHECK: kiln.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: kiln.constant dense_resource<w0> : tensor<2x2xf32>
  %1 = kiln.constant dense_resource<w0> : tensor<2x2xf32>
  // CHECK: kiln.constant dense<7> : tensor<3xi64>
  %2 = kiln.constant dense<7> : tensor<3xi64>
  return %0, %1, %2 : tensor<2xf32>, tensor<2x2xf32>, tensor<3xi64>
}

// CHECK-LABEL: func @unary
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @unary(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[A:.*]] = kiln.abs %[[X]] : tensor<2x3xf32>
  %0 = kiln.abs %x : tensor<2x3xf32>
  // CHECK: %[[B:.*]] = kiln.ceil %[[A]] : tensor<2x3xf32>
  %1 = kiln.ceil %0 : tensor<2x3xf32>
  // CHECK: kiln.cos %[[B]] : tensor<2x3xf32>
  %2 = kiln.cos %1 : tensor<2x3xf32>
  // CHECK: kiln.erf
  %3 = kiln.erf %2 : tensor<2x3xf32>
  // CHECK: kiln.exp
  %4 = kiln.exp %3 : tensor<2x3xf32>
  // CHECK: kiln.floor
  %5 = kiln.floor %4 : tensor<2x3xf32>
  // CHECK: kiln.log
  %6 = kiln.log %5 : tensor<2x3xf32>
  // CHECK: kiln.neg
  %7 = kiln.neg %6 : tensor<2x3xf32>
  // CHECK: kiln.reciprocal
  %8 = kiln.reciprocal %7 : tensor<2x3xf32>
  // CHECK: kiln.relu
  %9 = kiln.relu %8 : tensor<2x3xf32>
  // CHECK: kiln.round
  %10 = kiln.round %9 : tensor<2x3xf32>
  // CHECK: kiln.sigmoid
  %11 = kiln.sigmoid %10 : tensor<2x3xf32>
  // CHECK: kiln.sin
  %12 = kiln.sin %11 : tensor<2x3xf32>
  // CHECK: kiln.sqrt
  %13 = kiln.sqrt %12 : tensor<2x3xf32>
  // CHECK: kiln.tanh {{.*}} : tensor<2x3xf32>
  %14 = kiln.tanh %13 : tensor<2x3xf32>
  return %14 : tensor<2x3xf32>
}

// CHECK-LABEL: func @clip
func.func @clip(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: kiln.clip %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<4xf32>
  %0 = kiln.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>
  // CHECK: kiln.clip %{{.*}} {min = -1.000000e+00 : f64} : tensor<4xf32>
  %1 = kiln.clip %x {min = -1.0 : f64} : tensor<4xf32>
  // CHECK: kiln.clip %{{.*}} {max = 1.000000e+00 : f64} : tensor<4xf32>
  %2 = kiln.clip %x {max = 1.0 : f64} : tensor<4xf32>
  // CHECK: kiln.clip %{{.*}} : tensor<4xf32>
  %3 = kiln.clip %x : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func @activations
func.func @activations(%x: tensor<4xf16>) -> (tensor<4xf16>, tensor<4xf16>, tensor<4xf16>, tensor<4xf16>) {
  // Default-valued attributes are elided when printed.
  // CHECK: kiln.leaky_relu %{{.*}} : tensor<4xf16>
  %0 = kiln.leaky_relu %x : tensor<4xf16>
  // CHECK: kiln.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f64} : tensor<4xf16>
  %1 = kiln.leaky_relu %x {alpha = 0.1 : f64} : tensor<4xf16>
  // CHECK: kiln.hard_sigmoid %{{.*}} : tensor<4xf16>
  %2 = kiln.hard_sigmoid %x : tensor<4xf16>
  // CHECK: kiln.hard_sigmoid %{{.*}} {alpha = 0.1666666{{[0-9]*}} : f64, beta = 2.500000e-01 : f64} : tensor<4xf16>
  %3 = kiln.hard_sigmoid %x {alpha = 0.16666666 : f64, beta = 0.25 : f64} : tensor<4xf16>
  return %0, %1, %2, %3 : tensor<4xf16>, tensor<4xf16>, tensor<4xf16>, tensor<4xf16>
}

// CHECK-LABEL: func @cast
func.func @cast(%x: tensor<2x3xf32>, %b: tensor<2x3xi1>) -> (tensor<2x3xi64>, tensor<2x3xf32>) {
  // CHECK: kiln.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xi64>
  %0 = kiln.cast %x : tensor<2x3xf32> to tensor<2x3xi64>
  // CHECK: kiln.cast %{{.*}} : tensor<2x3xi1> to tensor<2x3xf32>
  %1 = kiln.cast %b : tensor<2x3xi1> to tensor<2x3xf32>
  return %0, %1 : tensor<2x3xi64>, tensor<2x3xf32>
}

// CHECK-LABEL: func @binary
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<4x1xi32>, %j: tensor<5xi32>) -> (tensor<2x3xf32>, tensor<4x5xi32>) {
  // CHECK: kiln.add %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %0 = kiln.add %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // CHECK: kiln.sub %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %1 = kiln.sub %0, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // CHECK: kiln.mul %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = kiln.mul %b, %1 : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: kiln.div
  %3 = kiln.div %2, %a : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: kiln.pow
  %4 = kiln.pow %3, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // CHECK: kiln.max
  %5 = kiln.max %4, %a : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: kiln.min
  %6 = kiln.min %5, %a : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: kiln.add %{{.*}}, %{{.*}} : tensor<4x1xi32>, tensor<5xi32> -> tensor<4x5xi32>
  %7 = kiln.add %i, %j : tensor<4x1xi32>, tensor<5xi32> -> tensor<4x5xi32>
  return %6, %7 : tensor<2x3xf32>, tensor<4x5xi32>
}

// CHECK-LABEL: func @where
func.func @where(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  // CHECK: kiln.where %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
  %0 = kiln.where %c, %a, %b : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func @matmul
func.func @matmul(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<7x1x4x5xf32>) -> (tensor<2x3x5xf32>, tensor<7x2x3x5xf32>) {
  // CHECK: kiln.matmul %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<4x5xf32> -> tensor<2x3x5xf32>
  %0 = kiln.matmul %a, %b : tensor<2x3x4xf32>, tensor<4x5xf32> -> tensor<2x3x5xf32>
  // CHECK: kiln.matmul %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<7x1x4x5xf32> -> tensor<7x2x3x5xf32>
  %1 = kiln.matmul %a, %c : tensor<2x3x4xf32>, tensor<7x1x4x5xf32> -> tensor<7x2x3x5xf32>
  return %0, %1 : tensor<2x3x5xf32>, tensor<7x2x3x5xf32>
}

// CHECK-LABEL: func @gemm
func.func @gemm(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<3x3xf32>) {
  // CHECK: kiln.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f64, beta = 2.000000e+00 : f64, trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %0 = kiln.gemm %a, %b, %c {alpha = 0.5 : f64, beta = 2.0 : f64, trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: kiln.gemm %{{.*}}, %{{.*}} {trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  %1 = kiln.gemm %a, %b {trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  // CHECK: kiln.gemm %{{.*}}, %{{.*}} {trans_a = true} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  %2 = kiln.gemm %a, %a {trans_a = true} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0, %1, %2 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<3x3xf32>
}

// CHECK-LABEL: func @conv
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>, %x1: tensor<1x3x10xf32>, %w1: tensor<5x3x3xf32>) -> (tensor<1x6x4x4xf32>, tensor<1x6x6x6xf32>, tensor<1x5x4xf32>) {
  // CHECK: kiln.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  %0 = kiln.conv %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  // CHECK: kiln.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  %1 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  // Default group = 1 is elided.
  // CHECK: kiln.conv %{{.*}}, %{{.*}} {dilations = array<i64: 2>, pads = array<i64: 1, 0>, strides = array<i64: 2>} : (tensor<1x3x10xf32>, tensor<5x3x3xf32>) -> tensor<1x5x4xf32>
  %2 = kiln.conv %x1, %w1 {strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 0>} : (tensor<1x3x10xf32>, tensor<5x3x3xf32>) -> tensor<1x5x4xf32>
  return %0, %1, %2 : tensor<1x6x4x4xf32>, tensor<1x6x6x6xf32>, tensor<1x5x4xf32>
}

// CHECK-LABEL: func @norms
func.func @norms(%x: tensor<2x3x4xf32>, %c: tensor<3xf32>, %s: tensor<4xf32>, %s2: tensor<3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  // CHECK: kiln.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f64} : tensor<2x3x4xf32>, tensor<3xf32>
  %0 = kiln.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-3 : f64} : tensor<2x3x4xf32>, tensor<3xf32>
  // CHECK: kiln.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 2 : i64} : tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>
  %1 = kiln.layer_norm %0, %s, %s {axis = 2 : i64} : tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>
  // CHECK: kiln.layer_norm %{{.*}}, %{{.*}} {axis = 1 : i64, epsilon = 9.99{{[0-9]*}}E-7 : f64} : tensor<2x3x4xf32>, tensor<3x4xf32>{{$}}
  %2 = kiln.layer_norm %1, %s2 {axis = 1 : i64, epsilon = 1.0e-6 : f64} : tensor<2x3x4xf32>, tensor<3x4xf32>
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func @softmax
func.func @softmax(%x: tensor<2x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>) {
  // CHECK: kiln.softmax %{{.*}} {axis = 1 : i64} : tensor<2x5xf32>
  %0 = kiln.softmax %x {axis = 1 : i64} : tensor<2x5xf32>
  // CHECK: kiln.softmax %{{.*}} {axis = 0 : i64, log = true} : tensor<2x5xf32>
  %1 = kiln.softmax %x {axis = 0 : i64, log = true} : tensor<2x5xf32>
  return %0, %1 : tensor<2x5xf32>, tensor<2x5xf32>
}

// CHECK-LABEL: func @pools
func.func @pools(%x: tensor<1x2x7x7xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>) {
  // CHECK: kiln.max_pool %{{.*}} {ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x2x7x7xf32> -> tensor<1x2x4x4xf32>
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : tensor<1x2x7x7xf32> -> tensor<1x2x4x4xf32>
  // CHECK: kiln.avg_pool %{{.*}} {count_include_pad = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 3, 3>} : tensor<1x2x7x7xf32> -> tensor<1x2x3x3xf32>
  %1 = kiln.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : tensor<1x2x7x7xf32> -> tensor<1x2x3x3xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>, %i: tensor<2x3xi32>) -> (tensor<2x1x4xf32>, tensor<2xf32>, tensor<1x1x1xf32>, tensor<f32>, tensor<3xi32>) {
  // CHECK: kiln.reduce_sum %{{.*}} {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %0 = kiln.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  // CHECK: kiln.reduce_mean %{{.*}} {axes = array<i64: 1, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2xf32>
  %1 = kiln.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2xf32>
  // CHECK: kiln.reduce_max %{{.*}} {axes = array<i64>} : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  %2 = kiln.reduce_max %x {axes = array<i64>} : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  // CHECK: kiln.reduce_min %{{.*}} {axes = array<i64>, keepdims = false} : tensor<2x3x4xf32> -> tensor<f32>
  %3 = kiln.reduce_min %x {axes = array<i64>, keepdims = false} : tensor<2x3x4xf32> -> tensor<f32>
  // CHECK: kiln.reduce_prod %{{.*}} {axes = array<i64: 0>, keepdims = false} : tensor<2x3xi32> -> tensor<3xi32>
  %4 = kiln.reduce_prod %i {axes = array<i64: 0>, keepdims = false} : tensor<2x3xi32> -> tensor<3xi32>
  return %0, %1, %2, %3, %4 : tensor<2x1x4xf32>, tensor<2xf32>, tensor<1x1x1xf32>, tensor<f32>, tensor<3xi32>
}

// CHECK-LABEL: func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %idx: tensor<2x2xi64>, %idx32: tensor<i32>) -> (tensor<6x4xf32>, tensor<4x2x3xf32>, tensor<2x8x4xf32>, tensor<2x2x2xf32>, tensor<2x2x2x4xf32>, tensor<2x4xf32>) {
  // CHECK: kiln.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %0 = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  // CHECK: kiln.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %1 = kiln.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  // CHECK: kiln.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  %2 = kiln.concat %x, %y {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  // CHECK: kiln.slice %{{.*}} {ends = array<i64: 2, -1, 4>, starts = array<i64: 0, 2, 1>, steps = array<i64: 1, -2, 2>} : tensor<2x3x4xf32> -> tensor<2x2x2xf32>
  %3 = kiln.slice %x {starts = array<i64: 0, 2, 1>, ends = array<i64: 2, -1, 4>, steps = array<i64: 1, -2, 2>} : tensor<2x3x4xf32> -> tensor<2x2x2xf32>
  // CHECK: kiln.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x2xi64>) -> tensor<2x2x2x4xf32>
  %4 = kiln.gather %x, %idx {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x2xi64>) -> tensor<2x2x2x4xf32>
  // CHECK: kiln.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x4xf32>
  %5 = kiln.gather %x, %idx32 {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<6x4xf32>, tensor<4x2x3xf32>, tensor<2x8x4xf32>, tensor<2x2x2xf32>, tensor<2x2x2x4xf32>, tensor<2x4xf32>
}

// CHECK-LABEL: func @pad_expand
func.func @pad_expand(%x: tensor<2x3xf32>, %i: tensor<3x1xi64>) -> (tensor<3x6xf32>, tensor<4x5xf32>, tensor<4x7xf32>, tensor<2x3x4xi64>) {
  // CHECK: kiln.pad %{{.*}} {pads = array<i64: 0, 1, 1, 2>} : tensor<2x3xf32> -> tensor<3x6xf32>
  %0 = kiln.pad %x {pads = array<i64: 0, 1, 1, 2>} : tensor<2x3xf32> -> tensor<3x6xf32>
  // CHECK: kiln.pad %{{.*}} {mode = "reflect", pads = array<i64: 1, 1, 1, 1>} : tensor<2x3xf32> -> tensor<4x5xf32>
  %1 = kiln.pad %x {pads = array<i64: 1, 1, 1, 1>, mode = "reflect"} : tensor<2x3xf32> -> tensor<4x5xf32>
  // CHECK: kiln.pad %{{.*}} {mode = "edge", pads = array<i64: 1, 2, 1, 2>, value = 2.500000e+00 : f64} : tensor<2x3xf32> -> tensor<4x7xf32>
  %2 = kiln.pad %x {pads = array<i64: 1, 2, 1, 2>, mode = "edge", value = 2.5 : f64} : tensor<2x3xf32> -> tensor<4x7xf32>
  // CHECK: kiln.expand %{{.*}} : tensor<3x1xi64> -> tensor<2x3x4xi64>
  %3 = kiln.expand %i : tensor<3x1xi64> -> tensor<2x3x4xi64>
  return %0, %1, %2, %3 : tensor<3x6xf32>, tensor<4x5xf32>, tensor<4x7xf32>, tensor<2x3x4xi64>
}

{-#
  dialect_resources: {
    builtin: {
      w0: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

// The blob survives the round trip.
// CHECK: dialect_resources
// CHECK: w0: "0x040000000000803F0000004000004040000080C0"
