// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{stage=convolutions}),canonicalize,cse)" | FileCheck %s

// Epilogue fusion: the residual add and the ReLU after a conv run inside the
// conv's scf.forall, on each thread's tile, vectorized along C. The conv
// writes straight into the epilogue's destination, which the epilogue
// overwrites in place: the loop has one result, no temporary per tile.
// CHECK-LABEL: func @conv_epilogue
// CHECK-SAME: (%{{.*}}: tensor<1x16x16x64xf32>, %{{.*}}: tensor<3x3x64x64xf32>, %[[R:.*]]: tensor<1x14x14x64xf32>)
// CHECK: %[[F:.*]] = scf.forall (%[[I:.*]]) in (14) shared_outs(%[[O:.*]] = %{{.*}}) -> (tensor<1x14x14x64xf32>)
// CHECK: %[[D:.*]] = tensor.extract_slice %[[O]][0, %[[I]], 0, 0] [1, 1, 14, 64]
// CHECK: vector.contract
// CHECK: tensor.extract_slice %[[R]][0, %[[I]], 0, 0] [1, 1, 14, 64]
// CHECK: scf.for
// CHECK: %[[A:.*]] = arith.addf %{{.*}}, %{{.*}} : vector<1x1x1x64xf32>
// CHECK: arith.maximumf %[[A]], %{{.*}} : vector<1x1x1x64xf32>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[O]][0, %[[I]], 0, 0]
// CHECK-NOT: tensor.parallel_insert_slice
// CHECK-NOT: linalg.generic
// CHECK: return %[[F]]
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv_epilogue(%x: tensor<1x16x16x64xf32>, %w: tensor<3x3x64x64xf32>, %r: tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x64xf32>, tensor<3x3x64x64xf32>) outs(%f : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %e2 = tensor.empty() : tensor<1x14x14x64xf32>
  %add = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %r : tensor<1x14x14x64xf32>, tensor<1x14x14x64xf32>) outs(%e2 : tensor<1x14x14x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x14x14x64xf32>
  %e3 = tensor.empty() : tensor<1x14x14x64xf32>
  %relu = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%add : tensor<1x14x14x64xf32>) outs(%e3 : tensor<1x14x14x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x14x14x64xf32>
  return %relu : tensor<1x14x14x64xf32>
}

// -----

// Not fused: the conv's result has a second user (it is returned too), and
// a consumer that is not elementwise over identity maps (a transpose) is
// never fused. Both stay top-level linalg ops after the conv's loop.
// CHECK-LABEL: func @conv_no_epilogue
// CHECK: %[[F:.*]] = scf.forall
// CHECK: }
// CHECK: linalg.generic {{.*}} ins(%[[F]]
// CHECK: %[[G:.*]] = scf.forall
// CHECK: }
// CHECK: linalg.transpose ins(%[[G]]
#id4b = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv_no_epilogue(%x: tensor<1x16x16x64xf32>, %w: tensor<3x3x64x64xf32>, %w2: tensor<3x3x64x64xf32>) -> (tensor<1x14x14x64xf32>, tensor<1x14x14x64xf32>, tensor<1x64x14x14xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x64xf32>, tensor<3x3x64x64xf32>) outs(%f : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %e2 = tensor.empty() : tensor<1x14x14x64xf32>
  %relu = linalg.generic {indexing_maps = [#id4b, #id4b], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x14x14x64xf32>) outs(%e2 : tensor<1x14x14x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x14x14x64xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w2 : tensor<1x16x16x64xf32>, tensor<3x3x64x64xf32>) outs(%f2 : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %e3 = tensor.empty() : tensor<1x64x14x14xf32>
  %t = linalg.transpose ins(%c2 : tensor<1x14x14x64xf32>) outs(%e3 : tensor<1x64x14x14xf32>) permutation = [0, 3, 1, 2]
  return %c, %relu, %t : tensor<1x14x14x64xf32>, tensor<1x14x14x64xf32>, tensor<1x64x14x14xf32>
}

// -----

// A conv whose (epilogue's) result is only zero-padded, as the next conv's
// input, writes straight into the padded tensor's interior: only the border
// is filled (slabs above/below, then left/right of the interior), the loop's
// destination is the interior slice, and the pad is an insert_slice back
// (no copy, no fill of the interior, after bufferization).
// CHECK-LABEL: func @conv_into_pad
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x16x16x64xf32>
// CHECK: %[[T:.*]] = linalg.fill {{.*}} -> tensor<1x1x16x64xf32>
// CHECK: %[[B1:.*]] = tensor.insert_slice %[[T]] into %[[E]][0, 0, 0, 0] [1, 1, 16, 64]
// CHECK: %[[B2:.*]] = tensor.insert_slice %[[T]] into %[[B1]][0, 15, 0, 0] [1, 1, 16, 64]
// CHECK: %[[L:.*]] = linalg.fill {{.*}} -> tensor<1x14x1x64xf32>
// CHECK: %[[B3:.*]] = tensor.insert_slice %[[L]] into %[[B2]][0, 1, 0, 0] [1, 14, 1, 64]
// CHECK: %[[B4:.*]] = tensor.insert_slice %[[L]] into %[[B3]][0, 1, 15, 0] [1, 14, 1, 64]
// CHECK-NOT: linalg.fill {{.*}} -> tensor<1x16x16x64xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[B4]][0, 1, 1, 0] [1, 14, 14, 64] [1, 1, 1, 1]
// CHECK: %[[F:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[S]])
// CHECK-NOT: tensor.pad
// CHECK: %[[R:.*]] = tensor.insert_slice %[[F]] into %[[B4]][0, 1, 1, 0] [1, 14, 14, 64] [1, 1, 1, 1]
// CHECK: return %[[R]]
#id4c = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv_into_pad(%x: tensor<1x16x16x64xf32>, %w: tensor<3x3x64x64xf32>) -> tensor<1x16x16x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x64xf32>, tensor<3x3x64x64xf32>) outs(%f : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %e2 = tensor.empty() : tensor<1x14x14x64xf32>
  %relu = linalg.generic {indexing_maps = [#id4c, #id4c], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x14x14x64xf32>) outs(%e2 : tensor<1x14x14x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x14x14x64xf32>
  %p = tensor.pad %relu low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x14x14x64xf32> to tensor<1x16x16x64xf32>
  return %p : tensor<1x16x16x64xf32>
}
