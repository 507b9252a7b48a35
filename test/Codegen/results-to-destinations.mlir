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
