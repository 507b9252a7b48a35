// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize))" | FileCheck %s

// A matmul is tiled for the caches (64 x 512 x 128 here; the 4 row blocks
// are an scf.forall for the thread pool), then to a 4 x 64 register tile
// that becomes one vector.contract per 4 reduction steps (unrolled, when 4
// divide the reduction block). Register tiles walk the rows inside the
// columns (one 128 x 64 panel of %b serves all 64 rows). The reduction is
// too long for its [2048, 64] panels to stream from L2 (@matmul_streamed).
// CHECK-LABEL: func @matmul
// CHECK: scf.forall (%{{.*}}) = (0) to (256) step (64)
// CHECK: scf.for %{{.*}} = %c0 to %c512 step %c512
// CHECK: scf.for %{{.*}} = %c0 to %c2048 step %c128
// CHECK: scf.for %{{.*}} = %c0 to %c512 step %c64
// CHECK-NEXT: scf.for %{{.*}} = %c0 to %c64 step %c4
// CHECK-NEXT: scf.for %{{.*}} = %c0 to %c128 step %c4
// CHECK: vector.contract {{.*}} : vector<4x4xf32>, vector<4x64xf32> into vector<4x64xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: tensor<256x2048xf32>, %b: tensor<2048x512xf32>) -> tensor<256x512xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x512xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<256x512xf32>) -> tensor<256x512xf32>
  %r = linalg.matmul ins(%a, %b : tensor<256x2048xf32>, tensor<2048x512xf32>) outs(%f : tensor<256x512xf32>) -> tensor<256x512xf32>
  return %r : tensor<256x512xf32>
}

// -----

// Rows enough for 4 cache tiles of 128: 32 register tiles of rows (not 16)
// share each panel of %b; with fewer rows (@matmul) the tiles stay 64 so
// that the threads still have 4 to split. The reduction is one block of
// 128, so the panels stay in L1 (see @matmul_streamed for longer ones).
// CHECK-LABEL: func @matmul_tall
// CHECK: scf.forall (%{{.*}}) = (0) to (512) step (128)
func.func @matmul_tall(%a: tensor<512x128xf32>, %b: tensor<128x512xf32>) -> tensor<512x512xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<512x512xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<512x512xf32>) -> tensor<512x512xf32>
  %r = linalg.matmul ins(%a, %b : tensor<512x128xf32>, tensor<128x512xf32>) outs(%f : tensor<512x512xf32>) -> tensor<512x512xf32>
  return %r : tensor<512x512xf32>
}

// -----

// Many rows and a reduction longer than one block, whose [512, 64] panels
// of %b fit L2: each register tile sums over all of it, so its accumulators
// start as zeros in registers (the fill fused into it: no fill of the
// result) and are stored once. Cache tiles of 256 rows take one panel each
// (threads over them); their 42 register tiles of 6 rows leave 4, which are
// a register tile of their own in the same cache tile, the panel still in
// L2.
// CHECK-LABEL: func @matmul_streamed
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%{{.*}}) = (0) to (1024) step (256)
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: scf.for %{{.*}} = %c0 to %c252 step %c6
// CHECK: vector.transfer_write %[[Z6:.*]], %{{.*}} : vector<6x64xf32>, tensor<6x64xf32>
// CHECK-NEXT: scf.for %{{.*}} = %c0 to %c512 step %c4
// CHECK: vector.contract {{.*}} : vector<6x4xf32>, vector<4x64xf32> into vector<6x64xf32>
// CHECK: tensor.extract_slice %{{.*}}[252, 0] [4, 512] [1, 1]
// CHECK: vector.transfer_write %[[Z4:.*]], %{{.*}} : vector<4x64xf32>, tensor<4x64xf32>
// CHECK-NEXT: scf.for %{{.*}} = %c0 to %c512 step %c4
// CHECK: vector.contract {{.*}} : vector<4x4xf32>, vector<4x64xf32> into vector<4x64xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.matmul
func.func @matmul_streamed(%a: tensor<1024x512xf32>, %b: tensor<512x128xf32>) -> tensor<1024x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x128xf32>) -> tensor<1024x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1024x512xf32>, tensor<512x128xf32>) outs(%f : tensor<1024x128xf32>) -> tensor<1024x128xf32>
  return %r : tensor<1024x128xf32>
}

// -----

// A broadcast bias as the initial value of streamed register tiles: each
// broadcasts its slice of the bias into its accumulators.
// CHECK-LABEL: func @matmul_streamed_bias
// CHECK-SAME: %[[BIAS:[a-z0-9]+]]: tensor<128xf32>)
// CHECK-NOT: linalg.generic
// CHECK: tensor.extract_slice %[[BIAS]]
// CHECK: scf.for %{{.*}} = %c0 to %c252 step %c6
// CHECK: %[[ROW:.*]] = vector.transfer_read %{{.*}} : tensor<64xf32>, vector<64xf32>
// CHECK: %[[B6:.*]] = vector.broadcast %[[ROW]] : vector<64xf32> to vector<6x64xf32>
// CHECK: vector.transfer_write %[[B6]], %{{.*}} : vector<6x64xf32>, tensor<6x64xf32>
// CHECK-NEXT: scf.for %{{.*}} = %c0 to %c512 step %c4
#sbias_bcast = affine_map<(d0, d1) -> (d1)>
#sbias_id = affine_map<(d0, d1) -> (d0, d1)>
func.func @matmul_streamed_bias(%a: tensor<1024x512xf32>, %b: tensor<512x128xf32>, %bias: tensor<128xf32>) -> tensor<1024x128xf32> {
  %e = tensor.empty() : tensor<1024x128xf32>
  %init = linalg.generic {indexing_maps = [#sbias_bcast, #sbias_id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<128xf32>) outs(%e : tensor<1024x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<1024x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1024x512xf32>, tensor<512x128xf32>) outs(%init : tensor<1024x128xf32>) -> tensor<1024x128xf32>
  return %r : tensor<1024x128xf32>
}

// -----

// Accumulating into an argument, streamed: the register tiles start from
// their tiles of it (no initial value to fuse).
// CHECK-LABEL: func @matmul_streamed_acc
// CHECK-SAME: %[[C:[a-z0-9]+]]: tensor<1024x128xf32>)
// CHECK: scf.forall (%{{.*}}) = (0) to (1024) step (256) shared_outs(%{{.*}} = %[[C]])
// CHECK: scf.for %{{.*}} = %c0 to %c252 step %c6
// CHECK-NOT: vector.transfer_write
// CHECK: scf.for %{{.*}} = %c0 to %c512 step %c4
// CHECK: vector.transfer_read %{{.*}} : tensor<6x64xf32>, vector<6x64xf32>
func.func @matmul_streamed_acc(%a: tensor<1024x512xf32>, %b: tensor<512x128xf32>, %c: tensor<1024x128xf32>) -> tensor<1024x128xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1024x512xf32>, tensor<512x128xf32>) outs(%c : tensor<1024x128xf32>) -> tensor<1024x128xf32>
  return %r : tensor<1024x128xf32>
}

// -----

// 256 rows: two cache tiles of 128 (one per thread), 21 tiles of 6 rows
// and one of 2 each.
// CHECK-LABEL: func @matmul_streamed_256
// CHECK: scf.forall (%{{.*}}) = (0) to (256) step (128)
// CHECK: scf.for %{{.*}} = %c0 to %c126 step %c6
// CHECK: vector.contract {{.*}} : vector<6x4xf32>, vector<4x64xf32> into vector<6x64xf32>
// CHECK: vector.contract {{.*}} : vector<2x4xf32>, vector<4x64xf32> into vector<2x64xf32>
func.func @matmul_streamed_256(%a: tensor<256x512xf32>, %b: tensor<512x128xf32>) -> tensor<256x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<256x128xf32>) -> tensor<256x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x128xf32>) outs(%f : tensor<256x128xf32>) -> tensor<256x128xf32>
  return %r : tensor<256x128xf32>
}

// -----

// Fewer rows (192) than two cache tiles of 128 would need keep the
// L1-resident panels, in reduction blocks of 128.
// CHECK-LABEL: func @matmul_few_rows
// CHECK: scf.for %{{.*}} = %c0 to %c512 step %c128
// CHECK-NOT: scf.for %{{.*}} = %c0 to %c512 step %c4
func.func @matmul_few_rows(%a: tensor<192x512xf32>, %b: tensor<512x128xf32>) -> tensor<192x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<192x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<192x128xf32>) -> tensor<192x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<192x512xf32>, tensor<512x128xf32>) outs(%f : tensor<192x128xf32>) -> tensor<192x128xf32>
  return %r : tensor<192x128xf32>
}

// -----

// A reduction whose [4096, 64] panels (1 MiB) would not fit L2 keeps the
// L1-resident panels: blocks of 128, rows split 1020 + 4 at the op.
// CHECK-LABEL: func @matmul_long_reduction
// CHECK: scf.forall (%{{.*}}) = (0) to (1020) step (102)
// CHECK: scf.for %{{.*}} = %c0 to %c4096 step %c128
// CHECK-NOT: scf.for %{{.*}} = %c0 to %c4096 step %c4
func.func @matmul_long_reduction(%a: tensor<1024x4096xf32>, %b: tensor<4096x128xf32>) -> tensor<1024x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x128xf32>) -> tensor<1024x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1024x4096xf32>, tensor<4096x128xf32>) outs(%f : tensor<1024x128xf32>) -> tensor<1024x128xf32>
  return %r : tensor<1024x128xf32>
}

// -----

// 6-row register tiles (24 accumulators) when the rows make balanced cache
// tiles of them: 196 = 192 + 4 is split, the 192 rows as 2 cache tiles of
// 16 tiles of 6 rows (threads take the 2), the last 4 rows as one register
// tile of their own. With 256 rows (@matmul) 42 tiles of 6 would not split
// evenly, so those keep 4 rows. Each part zero-fills its own rows (the
// head in its thread tiles), not the whole result in a pass before them:
// the head is inserted into the tensor.empty, not into a fill of it.
// CHECK-LABEL: func @matmul_six_rows
// CHECK-NOT: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<196x128xf32>
// CHECK: %[[HEAD:.*]] = tensor.extract_slice %{{.*}}[0, 0] [192, 64] [1, 1]
// CHECK: %[[HEADOUT:.*]] = tensor.extract_slice %[[E]][0, 0] [192, 128] [1, 1]
// CHECK: scf.forall (%{{.*}}) = (0) to (192) step (96) shared_outs(%{{.*}} = %[[HEADOUT]])
// CHECK: vector.transfer_write %[[ZERO:.*]], %{{.*}} : vector<1x64xf32>, tensor<1x64xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c96 step %c6
// CHECK: vector.contract {{.*}} : vector<6x4xf32>, vector<4x64xf32> into vector<6x64xf32>
// CHECK: %[[WITHHEAD:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [192, 128] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[192, 0] [4, 64] [1, 1]
// CHECK: %[[TAILOUT:.*]] = tensor.extract_slice %[[WITHHEAD]][192, 0] [4, 128] [1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[TAILOUT]] : tensor<4x128xf32>)
// CHECK: vector.contract {{.*}} : vector<4x4xf32>, vector<4x64xf32> into vector<4x64xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul_six_rows(%a: tensor<196x64xf32>, %b: tensor<64x128xf32>) -> tensor<196x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<196x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<196x128xf32>) -> tensor<196x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<196x64xf32>, tensor<64x128xf32>) outs(%f : tensor<196x128xf32>) -> tensor<196x128xf32>
  return %r : tensor<196x128xf32>
}

// -----

// A broadcast bias as the initial value: each part broadcasts its own rows
// (the head per thread tile, from slices of the bias).
// CHECK-LABEL: func @matmul_six_rows_bias
// CHECK-SAME: %[[BIAS:[a-z0-9]+]]: tensor<128xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<196x128xf32>
// CHECK-NOT: linalg.generic
// CHECK: scf.forall (%{{.*}}) = (0) to (192) step (96)
// CHECK: tensor.extract_slice %[[BIAS]][%{{.*}}] [64] [1]
// CHECK: vector.contract {{.*}} : vector<6x4xf32>, vector<4x64xf32> into vector<6x64xf32>
// CHECK: %[[WITHHEAD:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [192, 128] [1, 1]
// CHECK: %[[TAILOUT:.*]] = tensor.extract_slice %[[WITHHEAD]][192, 0] [4, 128] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[BIAS]] : tensor<128xf32>) outs(%[[TAILOUT]] : tensor<4x128xf32>)
#bias_bcast = affine_map<(d0, d1) -> (d1)>
#bias_id = affine_map<(d0, d1) -> (d0, d1)>
func.func @matmul_six_rows_bias(%a: tensor<196x64xf32>, %b: tensor<64x128xf32>, %bias: tensor<128xf32>) -> tensor<196x128xf32> {
  %e = tensor.empty() : tensor<196x128xf32>
  %init = linalg.generic {indexing_maps = [#bias_bcast, #bias_id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<128xf32>) outs(%e : tensor<196x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<196x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<196x64xf32>, tensor<64x128xf32>) outs(%init : tensor<196x128xf32>) -> tensor<196x128xf32>
  return %r : tensor<196x128xf32>
}

// -----

// Accumulating into an argument: no initial value to split, so both parts
// read and write their slices of it, the tail's after the head's insertion.
// CHECK-LABEL: func @matmul_six_rows_acc
// CHECK-SAME: %[[C:[a-z0-9]+]]: tensor<196x128xf32>)
// CHECK: %[[HEADOUT:.*]] = tensor.extract_slice %[[C]][0, 0] [192, 128] [1, 1]
// CHECK: scf.forall (%{{.*}}) = (0) to (192) step (96) shared_outs(%{{.*}} = %[[HEADOUT]])
// CHECK: %[[WITHHEAD:.*]] = tensor.insert_slice %{{.*}} into %[[C]][0, 0] [192, 128] [1, 1]
// CHECK: tensor.extract_slice %[[WITHHEAD]][192, 0] [4, 128] [1, 1]
// CHECK-NOT: linalg.fill
func.func @matmul_six_rows_acc(%a: tensor<196x64xf32>, %b: tensor<64x128xf32>, %c: tensor<196x128xf32>) -> tensor<196x128xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<196x64xf32>, tensor<64x128xf32>) outs(%c : tensor<196x128xf32>) -> tensor<196x128xf32>
  return %r : tensor<196x128xf32>
}

// -----

// Rows too few to split (5): one register tile of all of them.
// CHECK-LABEL: func @matmul_five_rows
// CHECK-NOT: scf.forall
// CHECK: vector.contract {{.*}} : vector<5x4xf32>, vector<4x64xf32> into vector<5x64xf32>
func.func @matmul_five_rows(%a: tensor<5x64xf32>, %b: tensor<64x128xf32>) -> tensor<5x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<5x128xf32>) -> tensor<5x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<5x64xf32>, tensor<64x128xf32>) outs(%f : tensor<5x128xf32>) -> tensor<5x128xf32>
  return %r : tensor<5x128xf32>
}

// -----

// A reduction block that 4 does not divide (6) keeps one step per register
// tile.
// CHECK-LABEL: func @matmul_odd_reduction
// CHECK: vector.contract {{.*}} : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
// CHECK-NOT: vector<4x4xf32>
func.func @matmul_odd_reduction(%a: tensor<8x6xf32>, %b: tensor<6x128xf32>) -> tensor<8x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x128xf32>) -> tensor<8x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<8x6xf32>, tensor<6x128xf32>) outs(%f : tensor<8x128xf32>) -> tensor<8x128xf32>
  return %r : tensor<8x128xf32>
}

// -----

// An NCHW convolution becomes im2col + a contraction over C*KH*KW; the 7x7
// output (49 columns) is padded to 64 so the vector dimension is whole;
// the pad is a fill and an insert_slice (so its producer can write into the
// padded buffer).
// CHECK-LABEL: func @conv_7x7
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: %[[COL:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x8x9x9xf32>) outs(%{{.*}} : tensor<1x72x49xf32>)
// CHECK: %[[Z:.*]] = linalg.fill {{.*}} -> tensor<1x72x64xf32>
// CHECK: tensor.insert_slice %[[COL]] into %[[Z]][0, 0, 0] [1, 72, 49] [1, 1, 1]
// CHECK: vector.contract
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [1, 16, 49] [1, 1, 1] : tensor<1x16x64xf32> to tensor<1x16x49xf32>
func.func @conv_7x7(%x: tensor<1x8x9x9xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x7x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) outs(%f : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  return %r : tensor<1x16x7x7xf32>
}

// -----

// Not contractions (elementwise) and non-f32 contractions are left alone.
// CHECK-LABEL: func @untouched
// CHECK-NOT: vector.
// CHECK: linalg.matmul ins(%{{.*}} : tensor<8x8xi32>, tensor<8x8xi32>)
// CHECK: linalg.generic
func.func @untouched(%a: tensor<8x8xi32>, %x: tensor<8xf32>) -> (tensor<8x8xi32>, tensor<8xf32>) {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<8x8xi32>
  %f = linalg.fill ins(%zero : i32) outs(%e : tensor<8x8xi32>) -> tensor<8x8xi32>
  %r = linalg.matmul ins(%a, %a : tensor<8x8xi32>, tensor<8x8xi32>) outs(%f : tensor<8x8xi32>) -> tensor<8x8xi32>
  %e2 = tensor.empty() : tensor<8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
         ins(%x : tensor<8xf32>) outs(%e2 : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<8xf32>
  return %r, %g : tensor<8x8xi32>, tensor<8xf32>
}

// -----

// NHWC conv: threads over output rows (one filter block of 64), register
// tiles of 4 pixels x 64 channels summed over kh, kw and c blocks of 16 (an
// unrolled body of 256 FMAs) as a vectorized 1-D conv; no im2col.
// CHECK-LABEL: func @conv_nhwc
// CHECK-NOT: linalg.conv_2d
// CHECK: scf.forall (%{{.*}}) in (56)
// CHECK: scf.for %{{.*}} = %c0 to %c56 step %c4
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c16
// CHECK: vector.contract {{.*}} : vector<1x4x16xf32>, vector<16x64xf32> into vector<1x4x64xf32>
// CHECK-NOT: linalg.conv_1d
func.func @conv_nhwc(%x: tensor<1x58x58x64xf32>, %w: tensor<3x3x64x64xf32>) -> tensor<1x56x56x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x56x56x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x58x58x64xf32>, tensor<3x3x64x64xf32>) outs(%f : tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32>
  return %c : tensor<1x56x56x64xf32>
}

// -----

// Many filter blocks (512 / 32): threads split them, so each thread keeps
// its block in cache for every pixel; 7 pixels x 32 channels per tile.
// CHECK-LABEL: func @conv_nhwc_deep
// CHECK: scf.forall (%{{.*}}) = (0) to (512) step (32)
// CHECK: vector.contract {{.*}} : vector<1x7x16xf32>, vector<16x32xf32> into vector<1x7x32xf32>
func.func @conv_nhwc_deep(%x: tensor<1x9x9x512xf32>, %w: tensor<3x3x512x512xf32>) -> tensor<1x7x7x512xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7x7x512xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x9x9x512xf32>, tensor<3x3x512x512xf32>) outs(%f : tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32>
  return %c : tensor<1x7x7x512xf32>
}

// -----

// Stride 2: the 1-D conv contracts each of the 7 pixels on its own, and
// the channel block is half a stride-1 conv's (8 for a 7 x 32 tile, not
// 16), which kept the filter vectors out of the stack.
// CHECK-LABEL: func @conv_nhwc_strided
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c8
// CHECK-COUNT-7: vector.contract {{.*}} : vector<1x1x8xf32>, vector<8x32xf32> into vector<1x1x32xf32>
func.func @conv_nhwc_strided(%x: tensor<1x29x29x128xf32>, %w: tensor<3x3x128x256xf32>) -> tensor<1x14x14x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x256xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x14x14x256xf32>) -> tensor<1x14x14x256xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x29x29x128xf32>, tensor<3x3x128x256xf32>) outs(%f : tensor<1x14x14x256xf32>) -> tensor<1x14x14x256xf32>
  return %c : tensor<1x14x14x256xf32>
}

// -----

// Three filter blocks of 48 (144 / 48), and small filters (13.5 KiB):
// threads split the 56 output rows. The register tile is 7 pixels by 48
// channels (21 accumulators; 8 pixels of 32 held 16), its vectors unrolled
// to 16 lanes, the input broadcast shared by the three pieces.
// CHECK-LABEL: func @conv_1x1_small_filter
// CHECK: scf.forall (%{{.*}}) in (56)
// CHECK-NOT: scf.forall
// CHECK: scf.for %{{.*}} = %c0 to %c144 step %c48
// CHECK: scf.for %{{.*}} = %c0 to %c56 step %c7
// CHECK: %[[X:.*]] = vector.transfer_read {{.*}} : tensor<1x7x8xf32>, vector<1x7x8xf32>
// CHECK-COUNT-3: vector.contract {{.*}} %[[X]], %{{.*}} : vector<1x7x8xf32>, vector<8x16xf32> into vector<1x7x16xf32>
// CHECK-NOT: vector<1x7x48xf32>
func.func @conv_1x1_small_filter(%x: tensor<1x56x56x24xf32>, %w: tensor<1x1x24x144xf32>) -> tensor<1x56x56x144xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x56x56x144xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x56x56x144xf32>) -> tensor<1x56x56x144xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x56x56x24xf32>, tensor<1x1x24x144xf32>) outs(%f : tensor<1x56x56x144xf32>) -> tensor<1x56x56x144xf32>
  return %c : tensor<1x56x56x144xf32>
}

// -----

// 24 output channels (MobileNetV2's projections): 8 pixels by all 24, split
// at the register boundary into 16 + 8 lanes (one full and one half FMA per
// pixel, 16 accumulators), not 8 pixels by 8 or three 8-lane thirds. The
// input broadcasts are shared; no vector op is 24 wide.
// CHECK-LABEL: func @conv_1x1_f24
// CHECK: scf.for %{{.*}} = %c0 to %c56 step %c8
// CHECK: %[[X:.*]] = vector.transfer_read {{.*}} : tensor<1x8x16xf32>, vector<1x8x16xf32>
// CHECK: vector.contract {{.*}} %[[X]], %{{.*}} : vector<1x8x16xf32>, vector<16x16xf32> into vector<1x8x16xf32>
// CHECK: vector.contract {{.*}} %[[X]], %{{.*}} : vector<1x8x16xf32>, vector<16x8xf32> into vector<1x8x8xf32>
// CHECK-NOT: vector<{{[0-9x]*}}x24xf32>
func.func @conv_1x1_f24(%x: tensor<1x56x56x144xf32>, %w: tensor<1x1x144x24xf32>) -> tensor<1x56x56x24xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x56x56x24xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x56x56x24xf32>) -> tensor<1x56x56x24xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x56x56x144xf32>, tensor<1x1x144x24xf32>) outs(%f : tensor<1x56x56x24xf32>) -> tensor<1x56x56x24xf32>
  return %c : tensor<1x56x56x24xf32>
}

// -----

// 32 channels (a power of two, 2 vectors) stay one vector<...x32>: LLVM
// splits those itself, and unrolling them measured 5% slower. 7 pixels do
// not divide 112, so the tile keeps 8.
// CHECK-LABEL: func @conv_1x1_f32
// CHECK: scf.for %{{.*}} = %c0 to %c112 step %c8
// CHECK: vector.contract {{.*}} into vector<1x8x32xf32>
// CHECK-NOT: vector<1x8x16xf32>
func.func @conv_1x1_f32(%x: tensor<1x112x112x16xf32>, %w: tensor<1x1x16x32xf32>) -> tensor<1x112x112x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x112x112x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x112x112x32xf32>) -> tensor<1x112x112x32xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x112x112x16xf32>, tensor<1x1x16x32xf32>) outs(%f : tensor<1x112x112x32xf32>) -> tensor<1x112x112x32xf32>
  return %c : tensor<1x112x112x32xf32>
}

// -----

// Depthwise NHWC: tiles of pixels x 64 channels, kw taps unrolled.
// CHECK-LABEL: func @depthwise_nhwc
// CHECK: scf.forall (%{{.*}}) in (14)
// CHECK-NOT: linalg.depthwise_conv
// CHECK: vector.fma
func.func @depthwise_nhwc(%x: tensor<1x16x16x128xf32>, %w: tensor<3x3x128xf32>) -> tensor<1x14x14x128xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x128xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x14x14x128xf32>) -> tensor<1x14x14x128xf32>
  %c = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x128xf32>, tensor<3x3x128xf32>) outs(%f : tensor<1x14x14x128xf32>) -> tensor<1x14x14x128xf32>
  return %c : tensor<1x14x14x128xf32>
}

// -----

// A constant filter is re-packed at compile time as [F/ft, KH, KW, C, ft]
// (ft = 32 here) and each tile reads its contiguous [C, ft] block.
// CHECK-LABEL: func @conv_nhwc_packed
// CHECK: %[[P:.*]] = arith.constant dense_resource<conv_nhwc_packed_packed_weight> : tensor<2x1x1x16x32xf32>
// CHECK: scf.forall
// CHECK: %[[B:.*]] = affine.apply #{{[a-z0-9]+}}(%{{[a-z0-9]+}}){{$}}
// CHECK: tensor.extract_slice %[[P]][%[[B]], %{{.*}}, %{{.*}}, %{{.*}}, 0] [1, 1, 1, 16, 32] [1, 1, 1, 1, 1] : tensor<2x1x1x16x32xf32> to tensor<1x1x16x32xf32>
// CHECK: vector.contract {{.*}} : vector<1x7x16xf32>, vector<16x32xf32> into vector<1x7x32xf32>
func.func @conv_nhwc_packed(%x: tensor<1x7x7x16xf32>) -> tensor<1x7x7x64xf32> {
  %w = arith.constant dense<0.5> : tensor<1x1x16x64xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7x7x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x7x7x16xf32>, tensor<1x1x16x64xf32>) outs(%f : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  return %c : tensor<1x7x7x64xf32>
}

// -----

// The accumulators' initial value (here a bias broadcast along C) is fused
// into each register tile instead of being written over the whole output
// first; vector widths are powers of two (C = 96 -> tiles of 32, not 48,
// which LLVM would assemble element by element).
// CHECK-LABEL: func @depthwise_bias
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x14x14x96xf32>
// CHECK: scf.forall (%{{.*}}) in (14) shared_outs(%{{.*}} = %[[E]])
// CHECK: scf.for %{{.*}} = %c0 to %c96 step %c32
// CHECK: vector.transfer_read %{{.*}} : tensor<32xf32>, vector<32xf32>
// CHECK: vector.broadcast
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK: vector.fma {{.*}} : vector<1x{{[0-9]+}}x32xf32>
#c = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @depthwise_bias(%x: tensor<1x16x16x96xf32>, %w: tensor<3x3x96xf32>, %b: tensor<96xf32>) -> tensor<1x14x14x96xf32> {
  %e = tensor.empty() : tensor<1x14x14x96xf32>
  %init = linalg.generic {indexing_maps = [#c, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<96xf32>) outs(%e : tensor<1x14x14x96xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x14x14x96xf32>
  %c = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x96xf32>, tensor<3x3x96xf32>) outs(%init : tensor<1x14x14x96xf32>) -> tensor<1x14x14x96xf32>
  return %c : tensor<1x14x14x96xf32>
}

// -----

// N = 20 is padded to 32 lanes; the constant B is padded at compile time
// (no pad of it left to run), the activations are not padded.
// CHECK-LABEL: func @gemv_padded
// CHECK: arith.constant dense_resource<gemv_padded_padded_weight> : tensor<8x32xf32>
// CHECK-NOT: tensor.pad
// CHECK: vector.contract
func.func @gemv_padded(%a: tensor<1x8xf32>) -> tensor<1x20xf32> {
  %b = arith.constant dense<0.25> : tensor<8x20xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x20xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x20xf32>) -> tensor<1x20xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1x8xf32>, tensor<8x20xf32>) outs(%f : tensor<1x20xf32>) -> tensor<1x20xf32>
  return %r : tensor<1x20xf32>
}

// -----

// A classifier's N = 1000 is padded to 1024 (a multiple of the 64-wide
// register tile, 2.4% more work), so each tile runs 4 independent FMA
// chains; 1008 would have left 16-wide tiles. N = 196 stays 208: 256
// would add 30%.
// CHECK-LABEL: func @gemv_classifier
// CHECK: arith.constant dense_resource<gemv_classifier_packed_weight> : tensor<16x8x64xf32>
// CHECK: vector.contract {{.*}} : vector<1x1xf32>, vector<1x64xf32> into vector<1x64xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [1, 1000] [1, 1] : tensor<1x1024xf32> to tensor<1x1000xf32>
func.func @gemv_classifier(%a: tensor<1x8xf32>) -> tensor<1x1000xf32> {
  %b = arith.constant dense<0.25> : tensor<8x1000xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1000xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x1000xf32>) -> tensor<1x1000xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1x8xf32>, tensor<8x1000xf32>) outs(%f : tensor<1x1000xf32>) -> tensor<1x1000xf32>
  return %r : tensor<1x1000xf32>
}

// CHECK-LABEL: func @gemv_196
// CHECK: arith.constant dense_resource<gemv_196_packed_weight> : tensor<13x8x16xf32>
// CHECK: vector.contract {{.*}} : vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [1, 196] [1, 1] : tensor<1x208xf32> to tensor<1x196xf32>
func.func @gemv_196(%a: tensor<1x8xf32>) -> tensor<1x196xf32> {
  %b = arith.constant dense<0.25> : tensor<8x196xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x196xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x196xf32>) -> tensor<1x196xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1x8xf32>, tensor<8x196xf32>) outs(%f : tensor<1x196xf32>) -> tensor<1x196xf32>
  return %r : tensor<1x196xf32>
}

// -----

// Constant matmul weights [K, N] are packed as [N/64, K, 64] for the 64-wide
// register tile, so its rows of B are contiguous.
// CHECK-LABEL: func @matmul_packed
// CHECK: %[[P:.*]] = arith.constant dense_resource<matmul_packed_packed_weight> : tensor<2x16x64xf32>
// CHECK: tensor.extract_slice %[[P]][%{{.*}}, %{{.*}}, 0] [1, 4, 64] [1, 1, 1] : tensor<2x16x64xf32> to tensor<4x64xf32>
// CHECK: vector.contract
func.func @matmul_packed(%a: tensor<8x16xf32>) -> tensor<8x128xf32> {
  %b = arith.constant dense<0.5> : tensor<16x128xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x128xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x128xf32>) -> tensor<8x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x128xf32>) outs(%f : tensor<8x128xf32>) -> tensor<8x128xf32>
  return %r : tensor<8x128xf32>
}

// -----

// A matmul split over threads takes its zero fill and its elementwise
// consumers -- here a bias row broadcast over the rows, and a ReLU -- into
// each thread's tile: one parallel loop, no pass over the whole result
// before or after it.
// CHECK-LABEL: func @matmul_bias_relu
// CHECK-NOT: linalg.fill
// CHECK: scf.forall
// CHECK: vector.transfer_write %[[ZERO:cst[_0-9]*]], {{.*}} : vector<1x64xf32>, tensor<1x64xf32>
// CHECK: vector.contract
// CHECK: vector.broadcast {{.*}} : vector<64xf32> to vector<1x64xf32>
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.generic
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @matmul_bias_relu(%a: tensor<256x64xf32>, %b: tensor<64x128xf32>, %bias: tensor<128xf32>) -> tensor<256x128xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x128xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<256x128xf32>) -> tensor<256x128xf32>
  %m = linalg.matmul ins(%a, %b : tensor<256x64xf32>, tensor<64x128xf32>) outs(%f : tensor<256x128xf32>) -> tensor<256x128xf32>
  %e2 = tensor.empty() : tensor<256x128xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m, %bias : tensor<256x128xf32>, tensor<128xf32>) outs(%e2 : tensor<256x128xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %t = arith.maximumf %s, %z : f32
    linalg.yield %t : f32
  } -> tensor<256x128xf32>
  return %r : tensor<256x128xf32>
}

// -----

// A consumer that is not elementwise (a transpose) stays after the loop.
// CHECK-LABEL: func @matmul_then_transpose
// CHECK: scf.forall
// CHECK: vector.contract
// CHECK: scf.forall.in_parallel
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @matmul_then_transpose(%a: tensor<256x64xf32>, %b: tensor<64x128xf32>) -> tensor<128x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x128xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<256x128xf32>) -> tensor<256x128xf32>
  %m = linalg.matmul ins(%a, %b : tensor<256x64xf32>, tensor<64x128xf32>) outs(%f : tensor<256x128xf32>) -> tensor<256x128xf32>
  %e2 = tensor.empty() : tensor<128x256xf32>
  %r = linalg.generic {indexing_maps = [#id, #tr], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<256x128xf32>) outs(%e2 : tensor<128x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<128x256xf32>
  return %r : tensor<128x256xf32>
}
