// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip of the indexing, resize and run-time-bounds data ops.

// CHECK-LABEL: func @gathers
func.func @gathers(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>, %j: tensor<2x1xi32>,
                   %k: tensor<3x2x1xi64>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<3x2xf32>) {
  // CHECK: kiln.gather_elements %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  %0 = kiln.gather_elements %x, %i {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  // CHECK: kiln.gather_nd %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>
  %1 = kiln.gather_nd %x, %j : (tensor<3x4xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>
  // CHECK: kiln.gather_nd %{{.*}}, %{{.*}} {batch_dims = 1 : i64} : (tensor<3x4xf32>, tensor<3x2x1xi64>) -> tensor<3x2xf32>
  %2 = kiln.gather_nd %x, %k {batch_dims = 1 : i64} : (tensor<3x4xf32>, tensor<3x2x1xi64>) -> tensor<3x2xf32>
  return %0, %1, %2 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<3x2xf32>
}

// CHECK-LABEL: func @resize
func.func @resize(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %roi: tensor<8xf32>)
    -> (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) {
  // CHECK: kiln.resize %{{.*}}, %{{.*}} {mode = "linear"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
  %0 = kiln.resize %x, %s {mode = "linear"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: kiln.resize %{{.*}}, %{{.*}}, %{{.*}} {coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = 1.000000e+01 : f64} : (tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<8xf32>) -> tensor<1x1x3x3xf32>
  %1 = kiln.resize %x, %s, %roi {coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = 10.0 : f64} : (tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<8xf32>) -> tensor<1x1x3x3xf32>
  return %0, %1 : tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func @dynamic_bounds
func.func @dynamic_bounds(%x: tensor<4x5xf32>, %s: tensor<1xi64>, %a: tensor<1xi64>,
                          %p: tensor<4xi64>, %v: tensor<f32>) -> (tensor<2x5xf32>, tensor<6x5xf32>, tensor<4x7xf32>) {
  // CHECK: kiln.dynamic_slice %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x5xf32>
  %0 = kiln.dynamic_slice %x, %s, %a, %a : (tensor<4x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x5xf32>
  // CHECK: kiln.dynamic_pad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<4xi64>, tensor<f32>) -> tensor<6x5xf32>
  %1 = kiln.dynamic_pad %x, %p, %v : (tensor<4x5xf32>, tensor<4xi64>, tensor<f32>) -> tensor<6x5xf32>
  // CHECK: kiln.dynamic_pad %{{.*}}, %{{.*}} {mode = "reflect"} : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<4x7xf32>
  %2 = kiln.dynamic_pad %x, %p {mode = "reflect"} : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<4x7xf32>
  return %0, %1, %2 : tensor<2x5xf32>, tensor<6x5xf32>, tensor<4x7xf32>
}
