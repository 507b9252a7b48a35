// RUN: kiln-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(kiln-results-to-destinations))" | FileCheck %s

// CHECK-LABEL: func @two_results
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>, %[[D0:.*]]: memref<2xf32>, %[[D1:.*]]: memref<3xi64>) {
// CHECK: bufferization.materialize_in_destination %[[X]] in restrict writable %[[D0]]
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[D1]]
// CHECK: return{{$}}
func.func @two_results(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<3xi64>) {
  %c = arith.constant dense<[1, 2, 3]> : tensor<3xi64>
  return %x, %c : tensor<2xf32>, tensor<3xi64>
}

// -----

// A result assembled by insertions into a tensor.empty (a split
// contraction's parts) is assembled in the output buffer: the parts' slices
// of the empty tensor become slices of it too.
// CHECK-LABEL: func @assembled
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[D:.*]]: memref<3x4xf32>) {
// CHECK-NOT: tensor.empty
// CHECK: %[[OUT:.*]] = bufferization.to_tensor %[[D]] restrict writable
// CHECK: %[[PART:.*]] = tensor.extract_slice %[[OUT]][2, 0] [1, 4] [1, 1]
// CHECK: %[[HEAD:.*]] = tensor.insert_slice %[[X]] into %[[OUT]][0, 0] [2, 4] [1, 1]
// CHECK: %[[ALL:.*]] = tensor.insert_slice %{{.*}} into %[[HEAD]][2, 0] [1, 4] [1, 1]
// CHECK: bufferization.materialize_in_destination %[[ALL]] in restrict writable %[[D]]
func.func @assembled(%x: tensor<2x4xf32>) -> tensor<3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4xf32>
  %s = tensor.extract_slice %e[2, 0] [1, 4] [1, 1] : tensor<3x4xf32> to tensor<1x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%s : tensor<1x4xf32>) -> tensor<1x4xf32>
  %h = tensor.insert_slice %x into %e[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<3x4xf32>
  %r = tensor.insert_slice %f into %h[2, 0] [1, 4] [1, 1] : tensor<1x4xf32> into tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}

// -----

// The empty tensor has another use (a whole-tensor fill): it is left to
// empty-tensor elimination, which knows which uses may share the buffer.
// CHECK-LABEL: func @empty_used_elsewhere
// CHECK: tensor.empty
// CHECK-NOT: bufferization.to_tensor
// CHECK: bufferization.materialize_in_destination
func.func @empty_used_elsewhere(%x: tensor<2x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  %h = tensor.insert_slice %x into %e[0, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<3x4xf32>
  return %h, %f : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// Private functions keep their results (they are not the model ABI).
// CHECK-LABEL: func private @helper
// CHECK-SAME: -> tensor<2xf32>
func.func private @helper(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error@+1 {{result type 'tensor<?xf32>' is not a static tensor}}
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}
