// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-parallelize-elementwise{min-elements=64}))" | FileCheck %s

// A large elementwise op becomes an scf.forall over its first parallel
// dimension with more than one iteration (dim 1 of an NHWC tensor here),
// each tile vectorized row by row along C.
// CHECK-LABEL: func @relu
// CHECK: scf.forall (%[[I:.*]]) in (8)
// CHECK: tensor.extract_slice %arg0[0, %[[I]], 0, 0] [1, 1, 4, 16] [1, 1, 1, 1]
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} vector<1x1x1x16xf32>
// CHECK: arith.maximumf {{.*}} : vector<1x1x1x16xf32>
// CHECK-NOT: linalg.generic
// CHECK: scf.forall.in_parallel
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

// -----

// Small ops get no threads but are still vectorized (a fill of 4 lanes);
// contractions are left alone.
// CHECK-LABEL: func @small
// CHECK-NOT: scf.forall
// CHECK: vector.transfer_write {{.*}} : vector<1x4xf32>, tensor<1x4xf32>
// CHECK-NOT: linalg.fill
// CHECK-LABEL: func @matmul
// CHECK-NOT: scf.forall
// CHECK: linalg.matmul
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

// -----

// A softmax's pieces: the row max becomes a vector reduction over each
// whole row; exp(x - max) is vectorized and exp becomes a polynomial (no
// libm call per element).
// CHECK-LABEL: func @softmax_rows
// CHECK: vector.multi_reduction <maxnumf>, {{.*}} [2] : vector<1x1x128xf32> to vector<1x1xf32>
// CHECK: arith.subf {{.*}} : vector<1x1x64xf32>
// CHECK-NOT: math.exp
// CHECK: return
#m3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#r3 = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @softmax_rows(%x: tensor<4x8x128xf32>) -> tensor<4x8x128xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %max = linalg.generic {indexing_maps = [#m3, #r3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : tensor<4x8x128xf32>) outs(%f : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maxnumf %out, %in : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  %e2 = tensor.empty() : tensor<4x8x128xf32>
  %ex = linalg.generic {indexing_maps = [#m3, #r3, #m3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %max : tensor<4x8x128xf32>, tensor<4x8xf32>) outs(%e2 : tensor<4x8x128xf32>) {
  ^bb0(%in: f32, %mx: f32, %out: f32):
    %s = arith.subf %in, %mx : f32
    %x2 = math.exp %s : f32
    linalg.yield %x2 : f32
  } -> tensor<4x8x128xf32>
  return %ex : tensor<4x8x128xf32>
}

// -----

// Not vectorized: i1 results (memrefs of i1 hold a byte per element, i1
// vectors would be bits), math functions the LLVM phase only has as scalar
// libm calls (erf), and transposes with a side narrower than 8 (an image's
// 3 channels), which measured no faster as vectors. They still get threads.
// CHECK-LABEL: func @scalar_only
// CHECK-NOT: vector.
// CHECK: linalg.generic
// CHECK: arith.cmpf
// CHECK: linalg.generic
// CHECK: math.erf
// CHECK: linalg.transpose ins(%{{.*}} : tensor<16x3xf32>) outs(%{{.*}} : tensor<3x16xf32>)
// CHECK-NOT: vector.
#i2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @scalar_only(%x: tensor<16x16xf32>, %y: tensor<16x3xf32>) -> (tensor<16x16xi1>, tensor<16x16xf32>, tensor<3x16xf32>) {
  %z = arith.constant 0.0 : f32
  %eb = tensor.empty() : tensor<16x16xi1>
  %b = linalg.generic {indexing_maps = [#i2, #i2], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<16x16xf32>) outs(%eb : tensor<16x16xi1>) {
  ^bb0(%in: f32, %out: i1):
    %c = arith.cmpf olt, %in, %z : f32
    linalg.yield %c : i1
  } -> tensor<16x16xi1>
  %e = tensor.empty() : tensor<16x16xf32>
  %r = linalg.generic {indexing_maps = [#i2, #i2], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = math.erf %in : f32
    linalg.yield %v : f32
  } -> tensor<16x16xf32>
  %e2 = tensor.empty() : tensor<3x16xf32>
  %t = linalg.transpose ins(%y : tensor<16x3xf32>) outs(%e2 : tensor<3x16xf32>) permutation = [1, 0]
  return %b, %r, %t : tensor<16x16xi1>, tensor<16x16xf32>, tensor<3x16xf32>
}

// -----

// NHWC -> NCHW: threads take output rows (h), not channels (each thread
// split by channel read the whole input), and each thread tile is walked
// in 16 x 16 blocks of channels by pixels, so a block reads 16 input lines
// and writes 16 output lines.
// CHECK-LABEL: func @to_nchw
// CHECK: scf.forall (%[[H:.*]]) in (8)
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c16
// CHECK: scf.for %{{.*}} = %c0 to %c48 step %c16
// Each block is a transposed vector read and a vector write.
// CHECK: vector.transfer_read {{.*}} permutation_map = {{.*}} : tensor<1x1x16x16xf32>, vector<1x16x1x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x16x1x16xf32>, tensor<1x16x1x16xf32>
// CHECK-NOT: linalg.transpose
func.func @to_nchw(%x: tensor<1x8x48x32xf32>) -> tensor<1x32x8x48xf32> {
  %e = tensor.empty() : tensor<1x32x8x48xf32>
  %t = linalg.transpose ins(%x : tensor<1x8x48x32xf32>) outs(%e : tensor<1x32x8x48xf32>) permutation = [0, 3, 1, 2]
  return %t : tensor<1x32x8x48xf32>
}

// -----

// A 2-D transpose has no other loop: threads take blocks of 16 output
// columns.
// CHECK-LABEL: func @transpose_2d
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (16)
// CHECK: vector.transfer_read {{.*}} permutation_map = {{.*}} : tensor<16x16xf32>, vector<16x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<16x16xf32>, tensor<16x16xf32>
func.func @transpose_2d(%x: tensor<64x32xf32>) -> tensor<32x64xf32> {
  %e = tensor.empty() : tensor<32x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) permutation = [1, 0]
  return %t : tensor<32x64xf32>
}

// -----

// Blocks divide the loops they tile, so that each has a static shape to
// vectorize: 56 pixels in blocks of 14, 24 channels in blocks of 12.
// CHECK-LABEL: func @to_nchw_divisors
// CHECK: scf.for %{{.*}} = %c0 to %c24 step %c12
// CHECK: scf.for %{{.*}} = %c0 to %c56 step %c14
// CHECK: vector.transfer_read {{.*}} : tensor<1x1x14x12xf32>, vector<1x12x1x14xf32>
func.func @to_nchw_divisors(%x: tensor<1x4x56x24xf32>) -> tensor<1x24x4x56xf32> {
  %e = tensor.empty() : tensor<1x24x4x56xf32>
  %t = linalg.transpose ins(%x : tensor<1x4x56x24xf32>) outs(%e : tensor<1x24x4x56xf32>) permutation = [0, 3, 1, 2]
  return %t : tensor<1x24x4x56xf32>
}
