// RUN: kiln-opt %s -split-input-file -convert-kiln-to-linalg | FileCheck %s

// channels_last convs lower to upstream's NHWC convs: the pad is on H and
// W; the bias, broadcast along the last dimension, is the initial value of
// the accumulators.
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @conv
// CHECK: tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[LAST]], #[[ID]]], {{.*}}} ins(%arg1 : tensor<8xf32>)
// CHECK: %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x6x6x3xf32>, tensor<3x3x3x8xf32>) outs(%[[INIT]] : tensor<1x2x2x8xf32>)
// CHECK-NEXT: return %[[C]]
func.func @conv(%x: tensor<1x4x4x3xf32>, %b: tensor<8xf32>) -> tensor<1x2x2x8xf32> {
  %w = kiln.constant dense<1.0> : tensor<3x3x3x8xf32>
  %y = kiln.conv %x, %w, %b {channels_last = true, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x3xf32>, tensor<3x3x3x8xf32>, tensor<8xf32>) -> tensor<1x2x2x8xf32>
  return %y : tensor<1x2x2x8xf32>
}

// -----

// Depthwise: the [KH, KW, 1, C] filter is collapsed to [KH, KW, C].
// CHECK-LABEL: func @depthwise
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : tensor<3x3x1x4xf32> into tensor<3x3x4xf32>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x5x5x4xf32>, tensor<3x3x4xf32>) outs(%{{.*}} : tensor<1x3x3x4xf32>)
func.func @depthwise(%x: tensor<1x5x5x4xf32>) -> tensor<1x3x3x4xf32> {
  %w = kiln.constant dense<1.0> : tensor<3x3x1x4xf32>
  %y = kiln.conv %x, %w {channels_last = true, group = 4 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x5x5x4xf32>, tensor<3x3x1x4xf32>) -> tensor<1x3x3x4xf32>
  return %y : tensor<1x3x3x4xf32>
}

// -----

// Channels-last pooling: one elementwise max (or sum) per window position
// over a strided view of the input, so every op reads whole rows of C;
// average pooling then divides by counts of shape [OH, OW, 1].
// CHECK-LABEL: func @pools
// CHECK-NOT: reduction
// CHECK: %[[A:.*]] = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 2, 2, 3] [1, 2, 2, 1]
// CHECK: %[[B:.*]] = tensor.extract_slice %arg0[0, 0, 1, 0] [1, 2, 2, 3] [1, 2, 2, 1]
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] :
// CHECK: arith.maximumf
// CHECK: tensor.extract_slice %arg0[0, 1, 0, 0]
// CHECK: arith.maximumf
// CHECK: tensor.extract_slice %arg0[0, 1, 1, 0]
// CHECK: arith.maximumf
// CHECK: arith.addf
// CHECK: arith.addf
// CHECK: arith.addf
// CHECK: arith.constant dense<4.000000e+00> : tensor<2x2x1xf32>
// CHECK: arith.divf
func.func @pools(%x: tensor<1x4x4x3xf32>) -> (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) {
  %m = kiln.max_pool %x {channels_last = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x3xf32> -> tensor<1x2x2x3xf32>
  %a = kiln.avg_pool %x {channels_last = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x3xf32> -> tensor<1x2x2x3xf32>
  return %m, %a : tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>
}
