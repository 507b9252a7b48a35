// RUN: kiln-opt %s --split-input-file --mlir-elide-resource-strings-if-larger=16 \
// RUN:   --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{stage=convolutions}),canonicalize,cse)" \
// RUN:   | FileCheck %s
// RUN: kiln-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(kiln-cpu-tile-and-vectorize{stage=convolutions winograd=false}))" \
// RUN:   | FileCheck %s --check-prefix=OFF

// A 3x3 stride-1 conv with a constant filter and a bias, followed by a
// residual add + ReLU whose result is padded for the next conv: Winograd
// F(4x4, 3x3) over 9 tiles (padded to 12 matmul rows, zero-filled), the
// filter transformed at compile time into a [36, C, F] constant, the
// epilogue fused into the output transform's loop, which writes straight
// into the interior of the next conv's padded input.
// CHECK-LABEL: func @winograd_bias_epilogue
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x14x14x16xf32>, %[[B:[a-z0-9]+]]: tensor<32xf32>
// CHECK-NOT: linalg.conv_2d
// CHECK-DAG: %[[U:.*]] = arith.constant dense_resource<winograd_bias_epilogue_winograd_filter> : tensor<36x16x32xf32>
// Input transform: one iteration per tile, 36 vectors of 16 channels in.
// CHECK: %[[V:.*]] = scf.forall (%[[T:.*]]) in (9) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<36x12x16xf32>)
// CHECK-COUNT-36: vector.transfer_read %[[X]]
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %{{.*}}[0, %[[T]], 0] [36, 1, 16]
// CHECK: %[[REST:.*]] = tensor.extract_slice %[[V]][0, 9, 0] [36, 3, 16]
// CHECK: %[[ZEROS:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[REST]] : tensor<36x3x16xf32>)
// CHECK: %[[VP:.*]] = tensor.insert_slice %[[ZEROS]] into %[[V]][0, 9, 0]
// CHECK: %[[M:.*]] = linalg.batch_matmul ins(%[[VP]], %[[U]] : tensor<36x12x16xf32>, tensor<36x16x32xf32>)
// Output transform: the bias is read per block of 16 filters, the sum
// written where the fused epilogue then reads it.
// CHECK: scf.forall (%{{.*}}) in (9) shared_outs(%[[Y:.*]] = %{{.*}}) -> (tensor<1x12x12x32xf32>)
// CHECK: %[[YT:.*]] = tensor.extract_slice %[[Y]]
// CHECK: scf.for %{{.*}} iter_args(%{{.*}} = %[[YT]])
// CHECK-COUNT-36: vector.transfer_read %[[M]]
// CHECK: vector.transfer_read %[[B]]
// CHECK: arith.maximumf {{.*}} : vector<1x1x1x32xf32>
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: linalg.generic
// CHECK: return

// OFF-LABEL: func @winograd_bias_epilogue
// OFF-NOT: linalg.batch_matmul
// OFF: vector.contract
func.func @winograd_bias_epilogue(%x: tensor<1x14x14x16xf32>, %b: tensor<32xf32>, %r: tensor<1x12x12x32xf32>) -> tensor<1x14x14x32xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x16x32xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x12x12x32xf32>
  %i = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x12x12x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x12x12x32xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x14x14x16xf32>, tensor<3x3x16x32xf32>) outs(%i : tensor<1x12x12x32xf32>) -> tensor<1x12x12x32xf32>
  %a = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %r : tensor<1x12x12x32xf32>, tensor<1x12x12x32xf32>) outs(%e : tensor<1x12x12x32xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    %m = arith.maximumf %s, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x12x12x32xf32>
  %p = tensor.pad %a low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x12x12x32xf32> to tensor<1x14x14x32xf32>
  return %p : tensor<1x14x14x32xf32>
}

// -----

// A zero-filled init (no bias): the fill value is added, not the
// destination's contents read back; 16 tiles need no padding rows.
// CHECK-LABEL: func @winograd_fill
// CHECK: scf.forall (%{{.*}}) in (16) shared_outs(%{{.*}}) -> (tensor<36x16x16xf32>)
// CHECK-NOT: tensor.insert_slice
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<36x16x16xf32>, tensor<36x16x16xf32>)
// CHECK: scf.forall (%{{.*}}) in (16)
// CHECK-NOT: vector.transfer_read {{.*}} : tensor<1x4x4x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<16xf32>, tensor<1x4x4x16xf32>
// CHECK: tensor.parallel_insert_slice
func.func @winograd_fill(%x: tensor<1x18x18x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = arith.constant dense<0.25> : tensor<3x3x16x16xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x16x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x18x18x16xf32>, tensor<3x3x16x16xf32>) outs(%f : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %c : tensor<1x16x16x16xf32>
}

// -----

// An output side that is not a multiple of 4 (14x14) with a bias: a 4x4
// grid of tiles over 16x16 outputs, of which the conv's are a slice; the
// pad that makes the input grows (high 1 -> 3) to hold every tile's 6x6
// window, so its producer can still write into it. The ReLU is not fused
// (it reads the slice) and stays an op of its own.
// CHECK-LABEL: func @winograd_grid
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 3, 3, 0]
// CHECK: tensor<1x14x14x16xf32> to tensor<1x18x18x16xf32>
// CHECK: scf.forall (%{{.*}}) in (16) shared_outs(%{{.*}}) -> (tensor<36x16x16xf32>)
// CHECK-COUNT-36: vector.transfer_read %[[P]]
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<36x16x16xf32>, tensor<36x16x32xf32>)
// CHECK: %[[Y:.*]] = scf.forall (%{{.*}}) in (16) shared_outs(%{{.*}}) -> (tensor<1x16x16x32xf32>)
// CHECK: %[[S:.*]] = tensor.extract_slice %[[Y]][0, 0, 0, 0] [1, 14, 14, 32] [1, 1, 1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<1x14x14x32xf32>)
// CHECK: arith.maximumf
func.func @winograd_grid(%a: tensor<1x14x14x16xf32>, %b: tensor<32xf32>) -> tensor<1x14x14x32xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x16x32xf32>
  %z = arith.constant 0.0 : f32
  %x = tensor.pad %a low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %z : f32
  } : tensor<1x14x14x16xf32> to tensor<1x16x16x16xf32>
  %e = tensor.empty() : tensor<1x14x14x32xf32>
  %i = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x14x14x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x14x14x32xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x16xf32>, tensor<3x3x16x32xf32>) outs(%i : tensor<1x14x14x32xf32>) -> tensor<1x14x14x32xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x14x14x32xf32>) outs(%e : tensor<1x14x14x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x14x14x32xf32>
  return %r : tensor<1x14x14x32xf32>
}

// -----

// Not Winograd candidates, which stay direct convolutions (tiled to 1-D
// ones): a stride of 2, an output side that is not a multiple of 4 whose
// initial value is not the same everywhere (it is read back, and a tile
// grid past the edge would write a fresh tensor), a filter that is not a
// constant, channels that are not whole vectors, and 4 tiles (7x7) with a
// transformed filter over 1 MiB (36 x 128 x 64 floats), which the batched
// matmul would only stream.
// CHECK-LABEL: func @direct
// CHECK-NOT: linalg.batch_matmul
// CHECK-NOT: winograd_filter
// CHECK: return
func.func @direct(%x: tensor<1x18x18x16xf32>, %x2: tensor<1x16x16x16xf32>, %wa: tensor<3x3x16x16xf32>, %x3: tensor<1x18x18x8xf32>, %i14: tensor<1x14x14x16xf32>, %x7: tensor<1x9x9x128xf32>) -> (tensor<1x8x8x16xf32>, tensor<1x14x14x16xf32>, tensor<1x16x16x16xf32>, tensor<1x16x16x16xf32>, tensor<1x7x7x64xf32>) {
  %w = arith.constant dense<0.25> : tensor<3x3x16x16xf32>
  %w8 = arith.constant dense<0.25> : tensor<3x3x8x16xf32>
  %z = arith.constant 0.0 : f32
  %e8 = tensor.empty() : tensor<1x8x8x16xf32>
  %f8 = linalg.fill ins(%z : f32) outs(%e8 : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %s2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x18x18x16xf32>, tensor<3x3x16x16xf32>) outs(%f8 : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %odd = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x2, %w : tensor<1x16x16x16xf32>, tensor<3x3x16x16xf32>) outs(%i14 : tensor<1x14x14x16xf32>) -> tensor<1x14x14x16xf32>
  %e16 = tensor.empty() : tensor<1x16x16x16xf32>
  %f16 = linalg.fill ins(%z : f32) outs(%e16 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %arg = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %wa : tensor<1x18x18x16xf32>, tensor<3x3x16x16xf32>) outs(%f16 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %c8 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x3, %w8 : tensor<1x18x18x8xf32>, tensor<3x3x8x16xf32>) outs(%f16 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %w7 = arith.constant dense<0.25> : tensor<3x3x128x64xf32>
  %e7 = tensor.empty() : tensor<1x7x7x64xf32>
  %f7 = linalg.fill ins(%z : f32) outs(%e7 : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  %c7 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x7, %w7 : tensor<1x9x9x128xf32>, tensor<3x3x128x64xf32>) outs(%f7 : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  return %s2, %odd, %arg, %c8, %c7 : tensor<1x8x8x16xf32>, tensor<1x14x14x16xf32>, tensor<1x16x16x16xf32>, tensor<1x16x16x16xf32>, tensor<1x7x7x64xf32>
}
