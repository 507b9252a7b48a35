// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-prefetch-tiles,canonicalize))" | FileCheck %s

// A bufferized matmul register-tile nest as kiln-cpu-tile-and-vectorize
// leaves it: loops over 64-wide panels (n), 4-row register tiles (m) and
// the reduction (k, 32 steps), B packed as [N/64, K, 64]. Before the
// reduction loop: the next tile's 4 rows of A over 32 k (2 lines a row, 8
// prefetches, into L1), then this tile's share of the next panel of B: 32
// steps over 4 tiles = 8 steps of 4 lines (32 prefetches, into L2), at rows
// 8 * (m floordiv 4) + j of panel (n + 64) mod 128 floordiv 64.
// CHECK-DAG: #[[K0:.*]] = affine_map<(d0) -> ((d0 floordiv 4) * 8, 31)>
// CHECK-DAG: #[[NEXT_N:.*]] = affine_map<(d0) -> (d0 floordiv 64 - ((d0 + 64) floordiv 128) * 2 + 1)>
// CHECK-LABEL: func @matmul
// CHECK-SAME: (%[[A:.*]]: memref<16x32xf32>, %[[B:.*]]: memref<2x32x64xf32>, %[[C:.*]]: memref<16x128xf32>)
// CHECK: scf.for %[[N:[a-z0-9]+]] =
// CHECK: scf.for %[[M:[a-z0-9]+]] =
// CHECK-NOT: memref.prefetch %[[A]]
// CHECK: %[[KV:.*]] = affine.min #[[K0]](%[[M]])
// CHECK: %[[NB:.*]] = affine.apply #[[NEXT_N]](%[[N]])
// CHECK: memref.prefetch %[[B]][%[[NB]], %[[KV]], %[[C0:c[0-9_]+]]], read, locality<2>, data
// CHECK: memref.prefetch %[[B]][%[[NB]], %[[KV]], %[[C16:c[0-9_]+]]], read, locality<2>, data
// CHECK: memref.prefetch %[[B]][%[[NB]], %[[KV]], %[[C32:c[0-9_]+]]], read, locality<2>, data
// CHECK: memref.prefetch %[[B]][%[[NB]], %[[KV]], %[[C48:c[0-9_]+]]], read, locality<2>, data
// CHECK-COUNT-28: memref.prefetch %[[B]][{{.*}}], read, locality<2>, data
// CHECK-NOT: memref.prefetch
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: memref.prefetch
// CHECK: vector.contract
#mA = affine_map<(d0, d1, d2) -> (d0, d2)>
#mB = affine_map<(d0, d1, d2) -> (d2, d1)>
#mC = affine_map<(d0, d1, d2) -> (d0, d1)>
#perm = affine_map<(d0, d1, d2) -> (d0, d2)>
#blk = affine_map<(d0) -> (d0 floordiv 64)>
func.func @matmul(%a: memref<16x32xf32>, %b: memref<2x32x64xf32>, %c: memref<16x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %p = ub.poison : f32
  scf.for %n = %c0 to %c128 step %c64 {
    scf.for %m = %c0 to %c16 step %c4 {
      %acc = vector.transfer_read %c[%m, %n], %p {in_bounds = [true, true]} : memref<16x128xf32>, vector<4x64xf32>
      %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%x = %acc) -> (vector<4x64xf32>) {
        %va = vector.transfer_read %a[%m, %k], %p {in_bounds = [true, true]} : memref<16x32xf32>, vector<4x1xf32>
        %nb = affine.apply #blk(%n)
        %vb = vector.transfer_read %b[%nb, %k, %c0], %p {in_bounds = [true, true], permutation_map = #perm} : memref<2x32x64xf32>, vector<1x64xf32>
        %y = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %x : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
        scf.yield %y : vector<4x64xf32>
      }
      vector.transfer_write %r, %c[%m, %n] {in_bounds = [true, true]} : vector<4x64xf32>, memref<16x128xf32>
    }
  }
  return
}

// -----

// 3 register tiles over 32 reduction steps: shares of 11 steps, the last
// one's clamped to step 31 (no prefetch past the panel).
// CHECK-DAG: #[[FIRST:.*]] = affine_map<(d0) -> ((d0 floordiv 4) * 11, 31)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0) -> ((d0 floordiv 4) * 11 + 10, 31)>
// CHECK-LABEL: func @uneven_share
// CHECK: affine.min #[[FIRST]]
// CHECK: affine.min #[[LAST]]
// CHECK-COUNT-44: memref.prefetch
// CHECK-NOT: memref.prefetch
#mA = affine_map<(d0, d1, d2) -> (d0, d2)>
#mB = affine_map<(d0, d1, d2) -> (d2, d1)>
#mC = affine_map<(d0, d1, d2) -> (d0, d1)>
#perm = affine_map<(d0, d1, d2) -> (d0, d2)>
#blk = affine_map<(d0) -> (d0 floordiv 64)>
func.func @uneven_share(%a: memref<12x32xf32>, %b: memref<2x32x64xf32>, %c: memref<12x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c12 = arith.constant 12 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %p = ub.poison : f32
  scf.for %n = %c0 to %c128 step %c64 {
    scf.for %m = %c0 to %c12 step %c4 {
      %acc = vector.transfer_read %c[%m, %n], %p {in_bounds = [true, true]} : memref<12x128xf32>, vector<4x64xf32>
      %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%x = %acc) -> (vector<4x64xf32>) {
        %va = vector.transfer_read %a[%m, %k], %p {in_bounds = [true, true]} : memref<12x32xf32>, vector<4x1xf32>
        %nb = affine.apply #blk(%n)
        %vb = vector.transfer_read %b[%nb, %k, %c0], %p {in_bounds = [true, true], permutation_map = #perm} : memref<2x32x64xf32>, vector<1x64xf32>
        %y = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %x : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
        scf.yield %y : vector<4x64xf32>
      }
      vector.transfer_write %r, %c[%m, %n] {in_bounds = [true, true]} : vector<4x64xf32>, memref<12x128xf32>
    }
  }
  return
}

// -----

// An f16 panel: a 64-wide row is 2 lines (32 halves each), so 8 steps of 2
// prefetches.
// CHECK-LABEL: func @f16_panel
// CHECK-COUNT-16: memref.prefetch %{{.*}} : memref<2x32x64xf16>
// CHECK-NOT: memref.prefetch
#mA = affine_map<(d0, d1, d2) -> (d0, d2)>
#mB = affine_map<(d0, d1, d2) -> (d2, d1)>
#mC = affine_map<(d0, d1, d2) -> (d0, d1)>
#perm = affine_map<(d0, d1, d2) -> (d0, d2)>
#blk = affine_map<(d0) -> (d0 floordiv 64)>
func.func @f16_panel(%a: memref<16x32xf16>, %b: memref<2x32x64xf16>, %c: memref<16x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %p = ub.poison : f32
  %ph = ub.poison : f16
  scf.for %n = %c0 to %c128 step %c64 {
    scf.for %m = %c0 to %c16 step %c4 {
      %acc = vector.transfer_read %c[%m, %n], %p {in_bounds = [true, true]} : memref<16x128xf32>, vector<4x64xf32>
      %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%x = %acc) -> (vector<4x64xf32>) {
        %va = vector.transfer_read %a[%m, %k], %ph {in_bounds = [true, true]} : memref<16x32xf16>, vector<4x1xf16>
        %nb = affine.apply #blk(%n)
        %vb = vector.transfer_read %b[%nb, %k, %c0], %ph {in_bounds = [true, true], permutation_map = #perm} : memref<2x32x64xf16>, vector<1x64xf16>
        %y = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %x : vector<4x1xf16>, vector<1x64xf16> into vector<4x64xf32>
        scf.yield %y : vector<4x64xf32>
      }
      vector.transfer_write %r, %c[%m, %n] {in_bounds = [true, true]} : vector<4x64xf32>, memref<16x128xf32>
    }
  }
  return
}

// -----

// Left alone: a single register tile (no loop over tiles), a reduction loop
// with two contractions (an unrolled convolution), a panel read through a
// strided view, and a panel with no outer loop to take the next one from.
// CHECK-LABEL: func @untouched
// CHECK-NOT: memref.prefetch
// CHECK: return
#mA = affine_map<(d0, d1, d2) -> (d0, d2)>
#mB = affine_map<(d0, d1, d2) -> (d2, d1)>
#mC = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @untouched(%a: memref<16x32xf32>, %b: memref<32x64xf32>, %c: memref<16x64xf32>,
                     %s: memref<16x64xf32, strided<[128, 1]>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %p = ub.poison : f32
  // One tile: the loop around the reduction runs once.
  scf.for %m = %c0 to %c4 step %c4 {
    %acc = vector.transfer_read %c[%m, %c0], %p {in_bounds = [true, true]} : memref<16x64xf32>, vector<4x64xf32>
    %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%x = %acc) -> (vector<4x64xf32>) {
      %va = vector.transfer_read %a[%m, %k], %p {in_bounds = [true, true]} : memref<16x32xf32>, vector<4x1xf32>
      %vb = vector.transfer_read %b[%k, %c0], %p {in_bounds = [true, true]} : memref<32x64xf32>, vector<1x64xf32>
      %y = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %x : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
      scf.yield %y : vector<4x64xf32>
    }
    vector.transfer_write %r, %c[%m, %c0] {in_bounds = [true, true]} : vector<4x64xf32>, memref<16x64xf32>
  }
  // Two contractions per step.
  scf.for %m = %c0 to %c16 step %c4 {
    %acc = vector.transfer_read %c[%m, %c0], %p {in_bounds = [true, true]} : memref<16x64xf32>, vector<4x64xf32>
    %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%x = %acc) -> (vector<4x64xf32>) {
      %va = vector.transfer_read %a[%m, %k], %p {in_bounds = [true, true]} : memref<16x32xf32>, vector<4x1xf32>
      %vb = vector.transfer_read %b[%k, %c0], %p {in_bounds = [true, true]} : memref<32x64xf32>, vector<1x64xf32>
      %y = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %x : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
      %z = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %y : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
      scf.yield %z : vector<4x64xf32>
    }
    vector.transfer_write %r, %c[%m, %c0] {in_bounds = [true, true]} : vector<4x64xf32>, memref<16x64xf32>
  }
  // A strided view: its layout is not the identity.
  scf.for %n = %c0 to %c64 step %c32 {
    scf.for %m = %c0 to %c16 step %c4 {
      %acc = vector.transfer_read %c[%m, %n], %p {in_bounds = [true, true]} : memref<16x64xf32>, vector<4x32xf32>
      %r = scf.for %k = %c0 to %c16 step %c1 iter_args(%x = %acc) -> (vector<4x32xf32>) {
        %va = vector.transfer_read %a[%m, %k], %p {in_bounds = [true, true]} : memref<16x32xf32>, vector<4x1xf32>
        %vb = vector.transfer_read %s[%k, %n], %p {in_bounds = [true, true]} : memref<16x64xf32, strided<[128, 1]>>, vector<1x32xf32>
        %y = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %x : vector<4x1xf32>, vector<1x32xf32> into vector<4x32xf32>
        scf.yield %y : vector<4x32xf32>
      }
      vector.transfer_write %r, %c[%m, %n] {in_bounds = [true, true]} : vector<4x32xf32>, memref<16x64xf32>
    }
  }
  // No loop outside the register tiles' loop.
  scf.for %m = %c0 to %c16 step %c4 {
    %acc = vector.transfer_read %c[%m, %c0], %p {in_bounds = [true, true]} : memref<16x64xf32>, vector<4x64xf32>
    %r = scf.for %k = %c0 to %c32 step %c1 iter_args(%x = %acc) -> (vector<4x64xf32>) {
      %va = vector.transfer_read %a[%m, %k], %p {in_bounds = [true, true]} : memref<16x32xf32>, vector<4x1xf32>
      %vb = vector.transfer_read %b[%k, %c0], %p {in_bounds = [true, true]} : memref<32x64xf32>, vector<1x64xf32>
      %y = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %x : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
      scf.yield %y : vector<4x64xf32>
    }
    vector.transfer_write %r, %c[%m, %c0] {in_bounds = [true, true]} : vector<4x64xf32>, memref<16x64xf32>
  }
  return
}

// -----

// A direct convolution's nest as the outlined parallel loop leaves it: a
// chunk loop over filter blocks (bounds from the caller), register tiles
// (m, 4 of them), reductions over kh (2) and channel blocks (32 of 16).
// Each block w[n] is 2 * 512 * 32 floats = 128 KiB = 2048 lines, over
// 4 * 2 * 32 = 256 reduction steps: every step prefetches 8 lines of block
// (n + 1) mod 4, the lines after those of the step before, clamped to the
// block's last line.
// CHECK-DAG: #[[NEXT:.*]] = affine_map<(d0) -> (d0 - ((d0 + 1) floordiv 4) * 4 + 1)>
// CHECK-DAG: #[[LINE0:.*]] = affine_map<(d0, d1, d2) -> (d0 * 8192 + d1 * 4096 + (d2 floordiv 16) * 128, 32752)>
// CHECK-DAG: #[[LINE7:.*]] = affine_map<(d0, d1, d2) -> (d0 * 8192 + d1 * 4096 + (d2 floordiv 16) * 128 + 112, 32752)>
// CHECK-LABEL: func @conv_blocks
// CHECK-SAME: %[[W:[a-z0-9]+]]: memref<4x2x512x32xf32>
// CHECK: scf.for %[[N:[a-z0-9]+]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[M:[a-z0-9]+]] =
// CHECK-NOT: memref.prefetch
// CHECK: scf.for %[[KH:[a-z0-9]+]] =
// CHECK-NOT: memref.prefetch
// CHECK: scf.for %[[C:[a-z0-9]+]] =
// CHECK-DAG: %[[NB:.*]] = affine.apply #[[NEXT]](%[[N]])
// CHECK-DAG: %[[BLOCKS:.*]] = memref.collapse_shape %[[W]] {{\[}}[0], [1, 2, 3]] : memref<4x2x512x32xf32> into memref<4x32768xf32>
// CHECK: %[[L0:.*]] = affine.min #[[LINE0]](%[[M]], %[[KH]], %[[C]])
// CHECK: memref.prefetch %[[BLOCKS]][%[[NB]], %[[L0]]], read, locality<2>, data
// CHECK-COUNT-6: memref.prefetch %[[BLOCKS]]
// CHECK: %[[L7:.*]] = affine.min #[[LINE7]](%[[M]], %[[KH]], %[[C]])
// CHECK: memref.prefetch %[[BLOCKS]][%[[NB]], %[[L7]]], read, locality<2>, data
// CHECK-NOT: memref.prefetch
// CHECK: vector.contract
#mA = affine_map<(d0, d1, d2) -> (d0, d2)>
#mB = affine_map<(d0, d1, d2) -> (d2, d1)>
#mC = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @conv_blocks(%x: memref<4x512xf32>, %w: memref<4x2x512x32xf32>, %y: memref<4x4x32xf32>, %lo: index, %hi: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c512 = arith.constant 512 : index
  %p = ub.poison : f32
  scf.for %n = %lo to %hi step %c1 {
    scf.for %m = %c0 to %c4 step %c1 {
      %acc = vector.transfer_read %y[%n, %m, %c0], %p {in_bounds = [true, true]} : memref<4x4x32xf32>, vector<1x32xf32>
      %r = scf.for %kh = %c0 to %c2 step %c1 iter_args(%a0 = %acc) -> (vector<1x32xf32>) {
        %r2 = scf.for %c = %c0 to %c512 step %c16 iter_args(%a1 = %a0) -> (vector<1x32xf32>) {
          %sv = memref.subview %w[%n, %kh, %c, 0] [1, 1, 16, 32] [1, 1, 1, 1] : memref<4x2x512x32xf32> to memref<16x32xf32, strided<[32, 1], offset: ?>>
          %vb = vector.transfer_read %sv[%c0, %c0], %p {in_bounds = [true, true]} : memref<16x32xf32, strided<[32, 1], offset: ?>>, vector<16x32xf32>
          %va = vector.transfer_read %x[%m, %c], %p {in_bounds = [true, true]} : memref<4x512xf32>, vector<1x16xf32>
          %z = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %a1 : vector<1x16xf32>, vector<16x32xf32> into vector<1x32xf32>
          scf.yield %z : vector<1x32xf32>
        }
        scf.yield %r2 : vector<1x32xf32>
      }
      vector.transfer_write %r, %y[%n, %m, %c0] {in_bounds = [true, true]} : vector<1x32xf32>, memref<4x4x32xf32>
    }
  }
  return
}

// -----

// No next-block prefetch: blocks of 8 KiB (L1 and the hardware prefetcher
// keep up), blocks of 1 MiB (two do not fit in L2), a dynamic number of
// blocks, register-tile loops whose bounds
// are not constant, and a block read that also moves with the register
// tiles.
// CHECK-LABEL: func @conv_blocks_untouched
// CHECK-NOT: memref.prefetch
#mA = affine_map<(d0, d1, d2) -> (d0, d2)>
#mB = affine_map<(d0, d1, d2) -> (d2, d1)>
#mC = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @conv_blocks_untouched(%x: memref<4x512xf32>, %small: memref<4x1x64x32xf32>, %big: memref<4x16x512x32xf32>, %dyn: memref<?x2x512x32xf32>,
                                 %w: memref<4x2x512x32xf32>, %y: memref<4x4x32xf32>, %lo: index, %hi: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %c512 = arith.constant 512 : index
  %p = ub.poison : f32
  scf.for %n = %lo to %hi step %c1 {
    scf.for %m = %c0 to %c4 step %c1 {
      %acc = vector.transfer_read %y[%n, %m, %c0], %p {in_bounds = [true, true]} : memref<4x4x32xf32>, vector<1x32xf32>
      %r = scf.for %c = %c0 to %c64 step %c16 iter_args(%a1 = %acc) -> (vector<1x32xf32>) {
        %sv = memref.subview %small[%n, 0, %c, 0] [1, 1, 16, 32] [1, 1, 1, 1] : memref<4x1x64x32xf32> to memref<16x32xf32, strided<[32, 1], offset: ?>>
        %vb = vector.transfer_read %sv[%c0, %c0], %p {in_bounds = [true, true]} : memref<16x32xf32, strided<[32, 1], offset: ?>>, vector<16x32xf32>
        %va = vector.transfer_read %x[%m, %c], %p {in_bounds = [true, true]} : memref<4x512xf32>, vector<1x16xf32>
        %z = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %a1 : vector<1x16xf32>, vector<16x32xf32> into vector<1x32xf32>
        scf.yield %z : vector<1x32xf32>
      }
      vector.transfer_write %r, %y[%n, %m, %c0] {in_bounds = [true, true]} : vector<1x32xf32>, memref<4x4x32xf32>
    }
    scf.for %m = %c0 to %c4 step %c1 {
      %acc = vector.transfer_read %y[%n, %m, %c0], %p {in_bounds = [true, true]} : memref<4x4x32xf32>, vector<1x32xf32>
      %r = scf.for %c = %c0 to %c512 step %c16 iter_args(%a1 = %acc) -> (vector<1x32xf32>) {
        %sv = memref.subview %big[%n, 0, %c, 0] [1, 1, 16, 32] [1, 1, 1, 1] : memref<4x16x512x32xf32> to memref<16x32xf32, strided<[32, 1], offset: ?>>
        %vb = vector.transfer_read %sv[%c0, %c0], %p {in_bounds = [true, true]} : memref<16x32xf32, strided<[32, 1], offset: ?>>, vector<16x32xf32>
        %va = vector.transfer_read %x[%m, %c], %p {in_bounds = [true, true]} : memref<4x512xf32>, vector<1x16xf32>
        %z = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %a1 : vector<1x16xf32>, vector<16x32xf32> into vector<1x32xf32>
        scf.yield %z : vector<1x32xf32>
      }
      vector.transfer_write %r, %y[%n, %m, %c0] {in_bounds = [true, true]} : vector<1x32xf32>, memref<4x4x32xf32>
    }
    scf.for %m = %c0 to %c4 step %c1 {
      %acc = vector.transfer_read %y[%n, %m, %c0], %p {in_bounds = [true, true]} : memref<4x4x32xf32>, vector<1x32xf32>
      %r = scf.for %c = %c0 to %c512 step %c16 iter_args(%a1 = %acc) -> (vector<1x32xf32>) {
        %sv = memref.subview %dyn[%n, 0, %c, 0] [1, 1, 16, 32] [1, 1, 1, 1] : memref<?x2x512x32xf32> to memref<16x32xf32, strided<[32, 1], offset: ?>>
        %vb = vector.transfer_read %sv[%c0, %c0], %p {in_bounds = [true, true]} : memref<16x32xf32, strided<[32, 1], offset: ?>>, vector<16x32xf32>
        %va = vector.transfer_read %x[%m, %c], %p {in_bounds = [true, true]} : memref<4x512xf32>, vector<1x16xf32>
        %z = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %a1 : vector<1x16xf32>, vector<16x32xf32> into vector<1x32xf32>
        scf.yield %z : vector<1x32xf32>
      }
      vector.transfer_write %r, %y[%n, %m, %c0] {in_bounds = [true, true]} : vector<1x32xf32>, memref<4x4x32xf32>
    }
    scf.for %m = %c0 to %hi step %c1 {
      %acc = vector.transfer_read %y[%n, %c0, %c0], %p {in_bounds = [true, true]} : memref<4x4x32xf32>, vector<1x32xf32>
      %r = scf.for %c = %c0 to %c512 step %c16 iter_args(%a1 = %acc) -> (vector<1x32xf32>) {
        %sv = memref.subview %w[%n, 0, %c, 0] [1, 1, 16, 32] [1, 1, 1, 1] : memref<4x2x512x32xf32> to memref<16x32xf32, strided<[32, 1], offset: ?>>
        %vb = vector.transfer_read %sv[%c0, %c0], %p {in_bounds = [true, true]} : memref<16x32xf32, strided<[32, 1], offset: ?>>, vector<16x32xf32>
        %va = vector.transfer_read %x[%m, %c], %p {in_bounds = [true, true]} : memref<4x512xf32>, vector<1x16xf32>
        %z = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %a1 : vector<1x16xf32>, vector<16x32xf32> into vector<1x32xf32>
        scf.yield %z : vector<1x32xf32>
      }
      vector.transfer_write %r, %y[%n, %c0, %c0] {in_bounds = [true, true]} : vector<1x32xf32>, memref<4x4x32xf32>
    }
    scf.for %m = %c0 to %c4 step %c1 {
      %acc = vector.transfer_read %y[%n, %m, %c0], %p {in_bounds = [true, true]} : memref<4x4x32xf32>, vector<1x32xf32>
      %r = scf.for %c = %c0 to %c512 step %c16 iter_args(%a1 = %acc) -> (vector<1x32xf32>) {
        %sv = memref.subview %w[%n, %m, %c, 0] [1, 1, 16, 32] [1, 1, 1, 1] : memref<4x2x512x32xf32> to memref<16x32xf32, strided<[32, 1], offset: ?>>
        %vb = vector.transfer_read %sv[%c0, %c0], %p {in_bounds = [true, true]} : memref<16x32xf32, strided<[32, 1], offset: ?>>, vector<16x32xf32>
        %va = vector.transfer_read %x[%m, %c], %p {in_bounds = [true, true]} : memref<4x512xf32>, vector<1x16xf32>
        %z = vector.contract {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %a1 : vector<1x16xf32>, vector<16x32xf32> into vector<1x32xf32>
        scf.yield %z : vector<1x32xf32>
      }
      vector.transfer_write %r, %y[%n, %m, %c0] {in_bounds = [true, true]} : vector<1x32xf32>, memref<4x4x32xf32>
    }
  }
  return
}
