// RUN: kiln-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(kiln-tree-reductions))" | FileCheck %s

// A softmax row max (every kept dimension 1): one 1-D reduction, split in
// halves 128 -> 64 -> ... -> 1 (7 maximumf steps), then the accumulator.
// CHECK-LABEL: func @row_max
// CHECK-SAME: (%[[V:.*]]: vector<1x1x128xf32>, %[[ACC:.*]]: vector<1x1xf32>)
// CHECK-NOT: vector.multi_reduction
// CHECK-NOT: vector.reduction
// CHECK: %[[ROW:.*]] = vector.shape_cast %[[V]] : vector<1x1x128xf32> to vector<128xf32>
// CHECK: %[[A:.*]] = vector.extract %[[ACC]][0, 0] : f32 from vector<1x1xf32>
// CHECK: %[[LO:.*]] = vector.extract_strided_slice %[[ROW]] {offsets = [0], sizes = [64], strides = [1]}
// CHECK: %[[HI:.*]] = vector.extract_strided_slice %[[ROW]] {offsets = [64], sizes = [64], strides = [1]}
// CHECK: arith.maximumf %[[LO]], %[[HI]] : vector<64xf32>
// CHECK: arith.maximumf {{.*}} : vector<32xf32>
// CHECK: arith.maximumf {{.*}} : vector<2xf32>
// CHECK: %[[ONE:.*]] = arith.maximumf {{.*}} : vector<1xf32>
// CHECK: %[[S:.*]] = vector.extract %[[ONE]][0] : f32 from vector<1xf32>
// CHECK: %[[R:.*]] = arith.maximumf %[[A]], %[[S]] : f32
// CHECK: vector.broadcast %[[R]] : f32 to vector<1x1xf32>
func.func @row_max(%v: vector<1x1x128xf32>, %acc: vector<1x1xf32>) -> vector<1x1xf32> {
  %r = vector.multi_reduction <maximumf>, %v, %acc [2] : vector<1x1x128xf32> to vector<1x1xf32>
  return %r : vector<1x1xf32>
}

// -----

// A 1-D min reduction without an accumulator: 3 steps for 8 lanes.
// CHECK-LABEL: func @min_8
// CHECK-NOT: vector.reduction
// CHECK-COUNT-3: arith.minnumf
// CHECK-NOT: arith.minnumf
// CHECK: vector.extract %{{.*}}[0] : f32 from vector<1xf32>
func.func @min_8(%v: vector<8xf32>) -> f32 {
  %r = vector.reduction <minnumf>, %v : vector<8xf32> into f32
  return %r : f32
}

// -----

// A layer norm's row sum: pairwise, 256 -> 128 -> ... -> 1 (8 adds).
// CHECK-LABEL: func @row_sum
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.shape_cast %{{.*}} : vector<1x256xf32> to vector<256xf32>
// CHECK: arith.addf {{.*}} : vector<128xf32>
// CHECK-COUNT-7: arith.addf {{.*}} : vector<
// CHECK: arith.addf {{.*}} : f32
func.func @row_sum(%v: vector<1x256xf32>, %acc: vector<1xf32>) -> vector<1xf32> {
  %r = vector.multi_reduction <add>, %v, %acc [1] : vector<1x256xf32> to vector<1xf32>
  return %r : vector<1xf32>
}

// -----

// Left alone: a multiplication, a length that is not a power of 2, and a
// multi-reduction that keeps a dimension of 4 (lower-vector-multi-reduction
// does those well).
// CHECK-LABEL: func @untouched
// CHECK: vector.reduction <mul>
// CHECK: vector.reduction <maximumf>, %{{.*}} : vector<12xf32>
// CHECK: vector.multi_reduction <maximumf>, %{{.*}} [1] : vector<4x16xf32> to vector<4xf32>
// CHECK-NOT: arith.maximumf
func.func @untouched(%a: vector<128xf32>, %b: vector<12xf32>, %c: vector<4x16xf32>, %acc: vector<4xf32>) -> (f32, f32, vector<4xf32>) {
  %x = vector.reduction <mul>, %a : vector<128xf32> into f32
  %y = vector.reduction <maximumf>, %b : vector<12xf32> into f32
  %z = vector.multi_reduction <maximumf>, %c, %acc [1] : vector<4x16xf32> to vector<4xf32>
  return %x, %y, %z : f32, f32, vector<4xf32>
}
