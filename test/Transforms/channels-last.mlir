// RUN: kiln-opt %s -split-input-file -kiln-channels-last -canonicalize | FileCheck %s

// A conv with a constant filter runs channels-last between two transposes;
// the filter is stored HWCF at compile time ([F=2, C=1, KH=1, KW=2] ->
// [KH=1, KW=2, C=1, F=2]: element (f, w) moves to (w, f)).
// CHECK-LABEL: func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3xf32>)
// CHECK-DAG: %[[W:.*]] = kiln.constant dense<{{\[\[\[\[}}1.000000e+00, 3.000000e+00]], {{\[\[}}2.000000e+00, 4.000000e+00]]]]> : tensor<1x2x1x2xf32>
// CHECK: %[[T:.*]] = kiln.transpose %[[X]] {perm = array<i64: 0, 2, 3, 1>} : tensor<1x1x3x3xf32> -> tensor<1x3x3x1xf32>
// CHECK: %[[C:.*]] = kiln.conv %[[T]], %[[W]] {channels_last = true, {{.*}}} : (tensor<1x3x3x1xf32>, tensor<1x2x1x2xf32>) -> tensor<1x3x2x2xf32>
// CHECK: %[[R:.*]] = kiln.transpose %[[C]] {perm = array<i64: 0, 3, 1, 2>} : tensor<1x3x2x2xf32> -> tensor<1x2x3x2xf32>
// CHECK: return %[[R]]
func.func @conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x2xf32> {
  %w = kiln.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x3x2xf32>
  return %y : tensor<1x2x3x2xf32>
}

// -----

// conv -> relu -> max pool -> conv, with a residual add of two conv
// results and a global average pool: the transposes between them cancel,
// only the model's input and output are re-laid-out.
// CHECK-LABEL: func @chain
// CHECK: kiln.transpose %arg0 {perm = array<i64: 0, 2, 3, 1>}
// CHECK-NOT: kiln.transpose
// CHECK: %[[A:.*]] = kiln.conv {{.*}}channels_last = true
// CHECK-NEXT: %[[R:.*]] = kiln.relu %[[A]] : tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[P:.*]] = kiln.max_pool %[[R]] {channels_last = true, {{.*}}} : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32>
// CHECK-NEXT: %[[B:.*]] = kiln.conv %[[P]], {{.*}}channels_last = true
// CHECK-NEXT: %[[D:.*]] = kiln.conv %[[P]], {{.*}}channels_last = true
// CHECK-NEXT: %[[S:.*]] = kiln.add %[[B]], %[[D]] : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
// CHECK-NEXT: %[[M:.*]] = kiln.reduce_mean %[[S]] {axes = array<i64: 1, 2>} : tensor<1x2x2x2xf32> -> tensor<1x1x1x2xf32>
// CHECK-NEXT: %[[O:.*]] = kiln.transpose %[[M]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK-NEXT: return %[[O]]
func.func @chain(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32> {
  %w = kiln.constant dense<0.5> : tensor<2x2x1x1xf32>
  %v = kiln.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %a = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r = kiln.relu %a : tensor<1x2x4x4xf32>
  %p = kiln.max_pool %r {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %b = kiln.conv %p, %v {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %d = kiln.conv %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %s = kiln.add %b, %d : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32>
  %m = kiln.reduce_mean %s {axes = array<i64: 2, 3>, keepdims = true} : tensor<1x2x2x2xf32> -> tensor<1x2x1x1xf32>
  return %m : tensor<1x2x1x1xf32>
}

// -----

// Depthwise convs go channels-last too (filter [C, 1, KH, KW] -> [KH, KW,
// 1, C]); a one-element operand broadcasts alike in any layout.
// CHECK-LABEL: func @depthwise
// CHECK: kiln.conv {{.*}}channels_last = true, {{.*}}group = 2 : i64{{.*}}} : (tensor<1x3x3x2xf32>, tensor<3x3x1x2xf32>) -> tensor<1x1x1x2xf32>
// CHECK-NEXT: kiln.mul %{{.*}}, %{{.*}} : tensor<1x1x1x2xf32>, tensor<1xf32> -> tensor<1x1x1x2xf32>
// CHECK-NEXT: kiln.transpose
func.func @depthwise(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32> {
  %w = kiln.constant dense<1.0> : tensor<2x1x3x3xf32>
  %k = kiln.constant dense<2.0> : tensor<1xf32>
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64} : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x1x1xf32>
  %z = kiln.mul %y, %k : tensor<1x2x1x1xf32>, tensor<1xf32> -> tensor<1x2x1x1xf32>
  return %z : tensor<1x2x1x1xf32>
}

// -----

// Left alone: a filter that is not a constant, a grouped (not depthwise)
// conv, and 1-D convs.
// CHECK-LABEL: func @unchanged
// CHECK-NOT: kiln.transpose
// CHECK-NOT: channels_last
// CHECK: return
func.func @unchanged(%x: tensor<1x4x3x3xf32>, %w: tensor<2x4x1x1xf32>, %y: tensor<1x2x5xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x4x3x3xf32>, tensor<1x2x5xf32>) {
  %a = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x4x3x3xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x3x3xf32>
  %g = kiln.constant dense<1.0> : tensor<4x2x1x1xf32>
  %b = kiln.conv %x, %g {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  %v = kiln.constant dense<1.0> : tensor<2x2x1xf32>
  %c = kiln.conv %y, %v {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 0, 0>} : (tensor<1x2x5xf32>, tensor<2x2x1xf32>) -> tensor<1x2x5xf32>
  return %a, %b, %c : tensor<1x2x3x3xf32>, tensor<1x4x3x3xf32>, tensor<1x2x5xf32>
}

// -----

// A transpose meeting a full-size operand that is laid out NCHW stays where
// it is (sinking it would add a transpose on the other side).
// CHECK-LABEL: func @stays
// CHECK: kiln.conv {{.*}}channels_last = true
// CHECK-NEXT: %[[T:.*]] = kiln.transpose
// CHECK-NEXT: kiln.add %[[T]], %arg1
func.func @stays(%x: tensor<1x1x2x2xf32>, %r: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = kiln.constant dense<1.0> : tensor<1x1x1x1xf32>
  %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %s = kiln.add %y, %r : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  return %s : tensor<1x1x2x2xf32>
}
