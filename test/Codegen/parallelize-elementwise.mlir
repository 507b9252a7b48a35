// RUN: kiln-opt %s --pass-pipeline="builtin.module(func.func(kiln-parallelize-elementwise{min-elements=64}))" | FileCheck %s

// A large elementwise op becomes an scf.forall over its first parallel
// dimension with more than one iteration (dim 1 of an NHWC tensor here);
// small ops, contractions and ops already in loops are left alone.
// CHECK-LABEL: func @relu
// CHECK: scf.forall (%[[I:.*]]) in (8)
// CHECK: tensor.extract_slice %arg0[0, %[[I]], 0, 0] [1, 1, 4, 16] [1, 1, 1, 1]
// CHECK: linalg.generic
// CHECK: scf.forall.in_parallel
// CHECK-LABEL: func @small
// CHECK-NOT: scf.forall
// CHECK-LABEL: func @matmul
// CHECK-NOT: scf.forall
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @relu(%x: tensor<1x8x4x16xf32>) -> tensor<1x8x4x16xf32> {
  %e = tensor.empty() : tensor<1x8x4x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x8x4x16xf32>) outs(%e : tensor<1x8x4x16xf32>) {
  ^bb0(%a: f32, %b: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x16xf32>
  return %r : tensor<1x8x4x16xf32>
}
func.func @small(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %f : tensor<4x4xf32>
}
func.func @matmul(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}
