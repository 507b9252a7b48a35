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
