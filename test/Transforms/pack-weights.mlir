// RUN: kiln-opt %s --split-input-file --kiln-pack-weights | FileCheck %s

// A constant B of a trans_b gemm is stored transposed ([K, N]).
// CHECK-LABEL: func @pretranspose
// CHECK: %[[B:.*]] = kiln.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK: kiln.gemm %{{.*}}, %[[B]], %{{.*}} : (tensor<1x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK-NOT: trans_b
func.func @pretranspose(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = kiln.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = kiln.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %y = kiln.gemm %x, %w, %b {trans_b = true} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Large weights stay dense_resource blobs.
// CHECK-LABEL: func @blob
// CHECK: kiln.constant dense_resource<blob_packed_weight> : tensor<16x8xf32>
func.func @blob(%x: tensor<1x16xf32>) -> tensor<1x8xf32> {
  %w = kiln.constant dense<1.5> : tensor<8x16xf32>
  %y = kiln.gemm %x, %w {trans_b = true} : (tensor<1x16xf32>, tensor<8x16xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// Non-constant B, or B not transposed: unchanged.
// CHECK-LABEL: func @unchanged
// CHECK: kiln.gemm %arg0, %arg1 {trans_b = true}
// CHECK: kiln.gemm %arg0, %{{.*}} : (tensor<1x3xf32>, tensor<3x2xf32>)
func.func @unchanged(%x: tensor<1x3xf32>, %w: tensor<2x3xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %y = kiln.gemm %x, %w {trans_b = true} : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %c = kiln.constant dense<1.0> : tensor<3x2xf32>
  %z = kiln.gemm %x, %c : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  return %y, %z : tensor<1x2xf32>, tensor<1x2xf32>
}
