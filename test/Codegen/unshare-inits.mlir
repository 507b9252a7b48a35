// RUN: kiln-opt %s --pass-pipeline="builtin.module(func.func(kiln-unshare-inits))" | FileCheck %s

// One zero fill feeding two matmuls as their accumulator: each gets its own
// fill (so bufferization writes both in place); a fill with one user and
// fills of other values are left alone.
// CHECK-LABEL: func @shared
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x4xf32>
// CHECK: %[[F1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<4x4xf32>)
// CHECK: linalg.matmul ins(%arg0, %arg1 : {{.*}}) outs(%[[F1]] : tensor<4x4xf32>)
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<4x4xf32>
// CHECK: %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<4x4xf32>)
// CHECK: linalg.matmul ins(%arg1, %arg0 : {{.*}}) outs(%[[F2]] : tensor<4x4xf32>)
// CHECK: %[[G:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @shared(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>, tensor<2xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %x = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %y = linalg.matmul ins(%b, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %e2 = tensor.empty() : tensor<2xf32>
  %g = linalg.fill ins(%z : f32) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  return %x, %y, %g : tensor<4x4xf32>, tensor<4x4xf32>, tensor<2xf32>
}

// A padded tensor whose interior is written through a slice and inserted
// back (a conv writing into the next conv's padded input) is one buffer, not
// two users to separate.
// CHECK-LABEL: func @subset_destination
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: %[[S:.*]] = tensor.extract_slice %[[F]][1, 1] [4, 4] [1, 1]
// CHECK: %[[M:.*]] = linalg.matmul {{.*}} outs(%[[S]] : tensor<4x4xf32>)
// CHECK-NOT: linalg.fill
// CHECK: tensor.insert_slice %[[M]] into %[[F]][1, 1] [4, 4] [1, 1]
func.func @subset_destination(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<6x6xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<6x6xf32>) -> tensor<6x6xf32>
  %s = tensor.extract_slice %f[1, 1] [4, 4] [1, 1] : tensor<6x6xf32> to tensor<4x4xf32>
  %m = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%s : tensor<4x4xf32>) -> tensor<4x4xf32>
  %r = tensor.insert_slice %m into %f[1, 1] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x6xf32>
  return %r : tensor<6x6xf32>
}

// Two identical padded tensors that loops write in place, merged by CSE into
// one: the second loop gets its own (border fill, interior slice), so each
// result stays in its own buffer instead of a copy of the shared one.
// CHECK-LABEL: func @padded_destinations
// CHECK: %[[F1:.*]] = linalg.fill {{.*}} -> tensor<6x6xf32>
// CHECK: %[[S1:.*]] = tensor.extract_slice %[[F1]][1, 1] [4, 4] [1, 1]
// CHECK: %[[L1:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[S1]])
// CHECK: tensor.insert_slice %[[L1]] into %[[F1]][1, 1] [4, 4] [1, 1]
// CHECK: %[[F2:.*]] = linalg.fill {{.*}} -> tensor<6x6xf32>
// CHECK: %[[S2:.*]] = tensor.extract_slice %[[F2]][1, 1] [4, 4] [1, 1]
// CHECK: %[[L2:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[S2]])
// CHECK: tensor.insert_slice %[[L2]] into %[[F2]][1, 1] [4, 4] [1, 1]
func.func @padded_destinations(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> (tensor<6x6xf32>, tensor<6x6xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<6x6xf32>) -> tensor<6x6xf32>
  %s = tensor.extract_slice %f[1, 1] [4, 4] [1, 1] : tensor<6x6xf32> to tensor<4x4xf32>
  %l1 = scf.forall (%i) in (4) shared_outs(%o = %s) -> (tensor<4x4xf32>) {
    %r = tensor.extract_slice %a[%i, 0] [1, 4] [1, 1] : tensor<4x4xf32> to tensor<1x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %r into %o[%i, 0] [1, 4] [1, 1] : tensor<1x4xf32> into tensor<4x4xf32>
    }
  }
  %p1 = tensor.insert_slice %l1 into %f[1, 1] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x6xf32>
  %l2 = scf.forall (%i) in (4) shared_outs(%o = %s) -> (tensor<4x4xf32>) {
    %r = tensor.extract_slice %b[%i, 0] [1, 4] [1, 1] : tensor<4x4xf32> to tensor<1x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %r into %o[%i, 0] [1, 4] [1, 1] : tensor<1x4xf32> into tensor<4x4xf32>
    }
  }
  %p2 = tensor.insert_slice %l2 into %f[1, 1] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x6xf32>
  return %p1, %p2 : tensor<6x6xf32>, tensor<6x6xf32>
}
