// RUN: kiln-opt %s -split-input-file -canonicalize | FileCheck %s

// CHECK-LABEL: func @constant_cse
// CHECK: %[[C:.*]] = kiln.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NOT: kiln.constant
// CHECK: return %[[C]], %[[C]]
func.func @constant_cse() -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func @cast_identity
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK-NOT: kiln.cast
// CHECK: return %[[X]]
func.func @cast_identity(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = kiln.cast %x : tensor<3xf32> to tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Integer casts of constants fold (shape computations): widening
// sign-extends, narrowing truncates, to-i1 tests for non-zero.
// CHECK-LABEL: func @cast_int
// CHECK-DAG: %[[A:.*]] = kiln.constant dense<[-1, 2, 300]> : tensor<3xi64>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<[-1, 2, 44]> : tensor<3xi8>
// CHECK-DAG: %[[C:.*]] = kiln.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-NOT: kiln.cast
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @cast_int() -> (tensor<3xi64>, tensor<3xi8>, tensor<3xi1>) {
  %0 = kiln.constant dense<[-1, 2, 300]> : tensor<3xi32>
  %1 = kiln.cast %0 : tensor<3xi32> to tensor<3xi64>
  %2 = kiln.cast %0 : tensor<3xi32> to tensor<3xi8>
  %3 = kiln.constant dense<[5, 0, -7]> : tensor<3xi32>
  %4 = kiln.cast %3 : tensor<3xi32> to tensor<3xi1>
  return %1, %2, %4 : tensor<3xi64>, tensor<3xi8>, tensor<3xi1>
}

// -----

// Booleans convert to 1, not -1 (ONNX Cast; the lowering uses extui).
// CHECK-LABEL: func @cast_bool_to_int
// CHECK: %[[A:.*]] = kiln.constant dense<[1, 0]> : tensor<2xi64>
// CHECK-NOT: kiln.cast
// CHECK: return %[[A]]
func.func @cast_bool_to_int() -> tensor<2xi64> {
  %0 = kiln.constant dense<[true, false]> : tensor<2xi1>
  %1 = kiln.cast %0 : tensor<2xi1> to tensor<2xi64>
  return %1 : tensor<2xi64>
}

// -----

// Float casts are not folded.
// CHECK-LABEL: func @cast_float_not_folded
// CHECK: %[[R:.*]] = kiln.cast %{{.*}} : tensor<2xf32> to tensor<2xi64>
// CHECK: return %[[R]]
func.func @cast_float_not_folded() -> tensor<2xi64> {
  %0 = kiln.constant dense<[1.5, -2.5]> : tensor<2xf32>
  %1 = kiln.cast %0 : tensor<2xf32> to tensor<2xi64>
  return %1 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func @binary_int_fold
// CHECK-DAG: %[[ADD:.*]] = kiln.constant dense<[11, 22, 33]> : tensor<3xi64>
// CHECK-DAG: %[[SUB:.*]] = kiln.constant dense<[-9, -18, -27]> : tensor<3xi64>
// CHECK-DAG: %[[MUL:.*]] = kiln.constant dense<[10, 40, 90]> : tensor<3xi64>
// CHECK-DAG: %[[DIV:.*]] = kiln.constant dense<[3, -3, 0]> : tensor<3xi64>
// CHECK-DAG: %[[MAX:.*]] = kiln.constant dense<[10, 20, 30]> : tensor<3xi64>
// CHECK-DAG: %[[MIN:.*]] = kiln.constant dense<[1, 2, 3]> : tensor<3xi64>
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.sub
// CHECK-NOT: kiln.mul
// CHECK-NOT: kiln.div
// CHECK-NOT: kiln.max
// CHECK-NOT: kiln.min
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[MAX]], %[[MIN]]
func.func @binary_int_fold() -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) {
  %a = kiln.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = kiln.constant dense<[10, 20, 30]> : tensor<3xi64>
  %0 = kiln.add %a, %b : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  %1 = kiln.sub %a, %b : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  %2 = kiln.mul %a, %b : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  // Signed division truncates toward zero.
  %n = kiln.constant dense<[7, -7, 2]> : tensor<3xi64>
  %d = kiln.constant dense<[2, 2, 3]> : tensor<3xi64>
  %3 = kiln.div %n, %d : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  %4 = kiln.max %a, %b : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  %5 = kiln.min %b, %a : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>
}

// -----

// CHECK-LABEL: func @binary_float_fold
// CHECK-DAG: %[[ADD:.*]] = kiln.constant dense<[1.500000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[DIV:.*]] = kiln.constant dense<[2.000000e+00, -2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[MAX:.*]] = kiln.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.div
// CHECK-NOT: kiln.max
// CHECK: return %[[ADD]], %[[DIV]], %[[MAX]]
func.func @binary_float_fold() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %a = kiln.constant dense<[1.0, -0.5]> : tensor<2xf32>
  %b = kiln.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %c = kiln.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %0 = kiln.add %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %1 = kiln.div %a, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %2 = kiln.max %a, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// A splat operand of another shape is broadcast to the result shape.
// CHECK-LABEL: func @binary_splat_broadcast
// CHECK: %[[R:.*]] = kiln.constant dense<{{\[}}[3, 4], [5, 6]]> : tensor<2x2xi64>
// CHECK-NOT: kiln.add
// CHECK: return %[[R]]
func.func @binary_splat_broadcast() -> tensor<2x2xi64> {
  %a = kiln.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %b = kiln.constant dense<2> : tensor<1xi64>
  %0 = kiln.add %a, %b : tensor<2x2xi64>, tensor<1xi64> -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// CHECK-LABEL: func @binary_splat_splat
// CHECK: %[[R:.*]] = kiln.constant dense<6.000000e+00> : tensor<2x3xf32>
// CHECK-NOT: kiln.mul
// CHECK: return %[[R]]
func.func @binary_splat_splat() -> tensor<2x3xf32> {
  %a = kiln.constant dense<2.0> : tensor<2x1xf32>
  %b = kiln.constant dense<3.0> : tensor<3xf32>
  %0 = kiln.mul %a, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A non-splat operand that needs broadcasting is not folded.
// CHECK-LABEL: func @binary_broadcast_not_folded
// CHECK: %[[R:.*]] = kiln.add %{{.*}}, %{{.*}} : tensor<2xi64>, tensor<3x1xi64> -> tensor<3x2xi64>
// CHECK: return %[[R]]
func.func @binary_broadcast_not_folded() -> tensor<3x2xi64> {
  %a = kiln.constant dense<[1, 2]> : tensor<2xi64>
  %b = kiln.constant dense<[[1], [2], [3]]> : tensor<3x1xi64>
  %0 = kiln.add %a, %b : tensor<2xi64>, tensor<3x1xi64> -> tensor<3x2xi64>
  return %0 : tensor<3x2xi64>
}

// -----

// CHECK-LABEL: func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK-NOT: kiln.
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[I]], %[[I]]
func.func @identities(%x: tensor<2x3xf32>, %i: tensor<4xi32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>, tensor<4xi32>) {
  %zero = kiln.constant dense<0.0> : tensor<3xf32>
  %one = kiln.constant dense<1.0> : tensor<2x3xf32>
  %one1 = kiln.constant dense<1.0> : tensor<1xf32>
  %izero = kiln.constant dense<0> : tensor<4xi32>
  %ione = kiln.constant dense<1> : tensor<i32>
  %0 = kiln.add %x, %zero : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %1 = kiln.sub %x, %zero : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %2 = kiln.mul %x, %one : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = kiln.div %x, %one1 : tensor<2x3xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %4 = kiln.pow %x, %one1 : tensor<2x3xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %5 = kiln.add %i, %izero : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %6 = kiln.mul %i, %ione : tensor<4xi32>, tensor<i32> -> tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// Commutative ops move the constant to the right, so 0 + x folds too.
// CHECK-LABEL: func @identity_commuted
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK-NOT: kiln.
// CHECK: return %[[X]], %[[X]]
func.func @identity_commuted(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %zero = kiln.constant dense<0.0> : tensor<3xf32>
  %one = kiln.constant dense<1.0> : tensor<3xf32>
  %0 = kiln.add %zero, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %1 = kiln.mul %one, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// x + 0 where the zero broadcasts x to a bigger type must stay.
// CHECK-LABEL: func @identity_broadcast_not_folded
// CHECK: %[[A:.*]] = kiln.add %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[M:.*]] = kiln.mul %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: return %[[A]], %[[M]]
func.func @identity_broadcast_not_folded(%x: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = kiln.constant dense<0.0> : tensor<2x3xf32>
  %one = kiln.constant dense<1.0> : tensor<2x1xf32>
  %0 = kiln.add %x, %zero : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = kiln.mul %x, %one : tensor<3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// 0 - x is not x; x / 0 and x - 1 are not identities either.
// CHECK-LABEL: func @not_identities
// CHECK: kiln.sub %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xf32>
// CHECK: kiln.div %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xf32>
// CHECK: kiln.pow %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xf32>
func.func @not_identities(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %zero = kiln.constant dense<0.0> : tensor<3xf32>
  %two = kiln.constant dense<2.0> : tensor<3xf32>
  %0 = kiln.sub %zero, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %1 = kiln.div %x, %zero : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %2 = kiln.pow %x, %two : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Integer division by zero (splat or one element) and INT_MIN / -1 are left
// to run time.
// CHECK-LABEL: func @int_div_not_folded
// CHECK: %[[D0:.*]] = kiln.div %{{.*}}, %{{.*}} : tensor<2xi32>, tensor<2xi32>
// CHECK: %[[D1:.*]] = kiln.div %{{.*}}, %{{.*}} : tensor<2xi32>, tensor<2xi32>
// CHECK: %[[D2:.*]] = kiln.div %{{.*}}, %{{.*}} : tensor<i32>, tensor<i32>
// CHECK: return %[[D0]], %[[D1]], %[[D2]]
func.func @int_div_not_folded() -> (tensor<2xi32>, tensor<2xi32>, tensor<i32>) {
  %a = kiln.constant dense<[6, 8]> : tensor<2xi32>
  %z = kiln.constant dense<0> : tensor<2xi32>
  %p = kiln.constant dense<[2, 0]> : tensor<2xi32>
  %0 = kiln.div %a, %z : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  %1 = kiln.div %a, %p : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  %min = kiln.constant dense<-2147483648> : tensor<i32>
  %m1 = kiln.constant dense<-1> : tensor<i32>
  %2 = kiln.div %min, %m1 : tensor<i32>, tensor<i32> -> tensor<i32>
  return %0, %1, %2 : tensor<2xi32>, tensor<2xi32>, tensor<i32>
}

// -----

// CHECK-LABEL: func @reshape_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: kiln.reshape
// CHECK: return %[[X]]
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @reshape_constant
// CHECK: %[[C:.*]] = kiln.constant dense<{{\[}}[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
// CHECK-NOT: kiln.reshape
// CHECK: return %[[C]]
func.func @reshape_constant() -> tensor<2x3xi64> {
  %0 = kiln.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %1 = kiln.reshape %0 : tensor<6xi64> -> tensor<2x3xi64>
  return %1 : tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[R:.*]] = kiln.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NOT: kiln.reshape
// CHECK: return %[[R]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = kiln.reshape %0 : tensor<24xf32> -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// A chain back to the input's shape disappears entirely.
// CHECK-LABEL: func @reshape_chain_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: kiln.reshape
// CHECK: return %[[X]]
func.func @reshape_chain_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = kiln.reshape %0 : tensor<3x2xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: kiln.transpose
// CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @transpose_splat
// CHECK: %[[C:.*]] = kiln.constant dense<4.000000e+00> : tensor<3x2xf32>
// CHECK-NOT: kiln.transpose
// CHECK: return %[[C]]
func.func @transpose_splat() -> tensor<3x2xf32> {
  %0 = kiln.constant dense<4.0> : tensor<2x3xf32>
  %1 = kiln.transpose %0 {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// Consecutive transposes compose: to the identity (gone), or to one.
// CHECK-LABEL: func @transpose_compose
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x4xf32>)
// CHECK-NEXT: %[[T:.*]] = kiln.transpose %[[X]] {perm = array<i64: 0, 3, 1, 2>} : tensor<1x2x3x4xf32> -> tensor<1x4x2x3xf32>
// CHECK-NEXT: return %[[X]], %[[T]]
func.func @transpose_compose(%x: tensor<1x2x3x4xf32>) -> (tensor<1x2x3x4xf32>, tensor<1x4x2x3xf32>) {
  %0 = kiln.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x3x4xf32> -> tensor<1x3x4x2xf32>
  %1 = kiln.transpose %0 {perm = array<i64: 0, 3, 1, 2>} : tensor<1x3x4x2xf32> -> tensor<1x2x3x4xf32>
  %2 = kiln.transpose %0 {perm = array<i64: 0, 2, 3, 1>} : tensor<1x3x4x2xf32> -> tensor<1x4x2x3xf32>
  return %1, %2 : tensor<1x2x3x4xf32>, tensor<1x4x2x3xf32>
}

// -----

// CHECK-LABEL: func @transpose_not_folded
// CHECK: kiln.transpose %{{.*}} {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
func.func @transpose_not_folded(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = kiln.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func @concat_one
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: kiln.concat
// CHECK: return %[[X]]
func.func @concat_one(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.concat %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @concat_constants
// CHECK: %[[C:.*]] = kiln.constant dense<[1, 2, 3, 7, 7]> : tensor<5xi64>
// CHECK-NOT: kiln.concat
// CHECK: return %[[C]]
func.func @concat_constants() -> tensor<5xi64> {
  %a = kiln.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = kiln.constant dense<7> : tensor<2xi64>
  %0 = kiln.concat %a, %b {axis = 0 : i64} : (tensor<3xi64>, tensor<2xi64>) -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// -----

// Only 1-D constants are concatenated at compile time.
// CHECK-LABEL: func @concat_not_folded
// CHECK: kiln.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<3xi64>, tensor<2xi64>) -> tensor<5xi64>
// CHECK: kiln.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x2xi64>, tensor<1x2xi64>) -> tensor<2x2xi64>
func.func @concat_not_folded(%x: tensor<2xi64>) -> (tensor<5xi64>, tensor<2x2xi64>) {
  %a = kiln.constant dense<[1, 2, 3]> : tensor<3xi64>
  %0 = kiln.concat %a, %x {axis = 0 : i64} : (tensor<3xi64>, tensor<2xi64>) -> tensor<5xi64>
  %b = kiln.constant dense<[[1, 2]]> : tensor<1x2xi64>
  %1 = kiln.concat %b, %b {axis = 0 : i64} : (tensor<1x2xi64>, tensor<1x2xi64>) -> tensor<2x2xi64>
  return %0, %1 : tensor<5xi64>, tensor<2x2xi64>
}

// -----

// CHECK-LABEL: func @slice_full
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: kiln.slice
// CHECK: return %[[X]]
func.func @slice_full(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 3>, steps = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A full reversal has the input's type but is not the identity.
// CHECK-LABEL: func @slice_reverse_not_folded
// CHECK: %[[R:.*]] = kiln.slice %{{.*}} {ends = array<i64: -1>, starts = array<i64: 2>, steps = array<i64: -1>} : tensor<3xf32> -> tensor<3xf32>
// CHECK: return %[[R]]
func.func @slice_reverse_not_folded(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = kiln.slice %x {starts = array<i64: 2>, ends = array<i64: -1>, steps = array<i64: -1>} : tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func @slice_constant
// CHECK-DAG: %[[A:.*]] = kiln.constant dense<[20, 40]> : tensor<2xi64>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<[50, 30, 10]> : tensor<3xi64>
// CHECK-DAG: %[[C:.*]] = kiln.constant dense<9> : tensor<2xi64>
// CHECK-NOT: kiln.slice
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @slice_constant() -> (tensor<2xi64>, tensor<3xi64>, tensor<2xi64>) {
  %0 = kiln.constant dense<[10, 20, 30, 40, 50]> : tensor<5xi64>
  %1 = kiln.slice %0 {starts = array<i64: 1>, ends = array<i64: 5>, steps = array<i64: 2>} : tensor<5xi64> -> tensor<2xi64>
  %2 = kiln.slice %0 {starts = array<i64: 4>, ends = array<i64: -1>, steps = array<i64: -2>} : tensor<5xi64> -> tensor<3xi64>
  %s = kiln.constant dense<9> : tensor<5xi64>
  %3 = kiln.slice %s {starts = array<i64: 0>, ends = array<i64: 2>, steps = array<i64: 1>} : tensor<5xi64> -> tensor<2xi64>
  return %1, %2, %3 : tensor<2xi64>, tensor<3xi64>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func @gather_constant
// CHECK-DAG: %[[A:.*]] = kiln.constant dense<[30, 10]> : tensor<2xi64>
// CHECK-DAG: %[[B:.*]] = kiln.constant dense<{{\[}}[40, 30], [20, 10]]> : tensor<2x2xi64>
// CHECK-NOT: kiln.gather
// CHECK: return %[[A]], %[[B]]
func.func @gather_constant() -> (tensor<2xi64>, tensor<2x2xi64>) {
  %0 = kiln.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %i = kiln.constant dense<[2, 0]> : tensor<2xi32>
  %1 = kiln.gather %0, %i {axis = 0 : i64} : (tensor<4xi64>, tensor<2xi32>) -> tensor<2xi64>
  // Negative indices count from the end.
  %j = kiln.constant dense<[[-1, 2], [1, -4]]> : tensor<2x2xi64>
  %2 = kiln.gather %0, %j {axis = 0 : i64} : (tensor<4xi64>, tensor<2x2xi64>) -> tensor<2x2xi64>
  return %1, %2 : tensor<2xi64>, tensor<2x2xi64>
}

// -----

// Out-of-range indices are left alone.
// CHECK-LABEL: func @gather_out_of_range
// CHECK: %[[G:.*]] = kiln.gather %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<4xi64>, tensor<1xi64>) -> tensor<1xi64>
// CHECK: return %[[G]]
func.func @gather_out_of_range() -> tensor<1xi64> {
  %0 = kiln.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %i = kiln.constant dense<[-5]> : tensor<1xi64>
  %1 = kiln.gather %0, %i {axis = 0 : i64} : (tensor<4xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %1 : tensor<1xi64>
}

// -----

// CHECK-LABEL: func @expand_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: kiln.expand
// CHECK: return %[[X]]
func.func @expand_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.expand %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @expand_splat
// CHECK: %[[C:.*]] = kiln.constant dense<5> : tensor<2x3xi32>
// CHECK-NOT: kiln.expand
// CHECK: return %[[C]]
func.func @expand_splat() -> tensor<2x3xi32> {
  %0 = kiln.constant dense<5> : tensor<3xi32>
  %1 = kiln.expand %0 : tensor<3xi32> -> tensor<2x3xi32>
  return %1 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func @expand_not_folded
// CHECK: %[[E:.*]] = kiln.expand %{{.*}} : tensor<3xi32> -> tensor<2x3xi32>
// CHECK: return %[[E]]
func.func @expand_not_folded() -> tensor<2x3xi32> {
  %0 = kiln.constant dense<[1, 2, 3]> : tensor<3xi32>
  %1 = kiln.expand %0 : tensor<3xi32> -> tensor<2x3xi32>
  return %1 : tensor<2x3xi32>
}

// -----

// Shape computations collapse: shape slice -> cast -> concat -> reshape.
// CHECK-LABEL: func @shape_chain
// CHECK: %[[C:.*]] = kiln.constant dense<[3, 4, -1]> : tensor<3xi64>
// CHECK-NOT: kiln.slice
// CHECK-NOT: kiln.cast
// CHECK-NOT: kiln.concat
// CHECK: return %[[C]]
func.func @shape_chain() -> tensor<3xi64> {
  %shape = kiln.constant dense<[2, 3, 4]> : tensor<3xi32>
  %tail = kiln.slice %shape {starts = array<i64: 1>, ends = array<i64: 3>, steps = array<i64: 1>} : tensor<3xi32> -> tensor<2xi32>
  %wide = kiln.cast %tail : tensor<2xi32> to tensor<2xi64>
  %m1 = kiln.constant dense<-1> : tensor<1xi64>
  %0 = kiln.concat %wide, %m1 {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Negation of constants folds (shape computations negate axes).
// CHECK-LABEL: func @fold_neg
// CHECK-DAG: kiln.constant dense<[1, -2]> : tensor<2xi64>
// CHECK-DAG: kiln.constant dense<-1.500000e+00> : tensor<2xf32>
// CHECK-NOT: kiln.neg
func.func @fold_neg() -> (tensor<2xi64>, tensor<2xf32>) {
  %a = kiln.constant dense<[-1, 2]> : tensor<2xi64>
  %b = kiln.constant dense<1.5> : tensor<2xf32>
  %na = kiln.neg %a : tensor<2xi64>
  %nb = kiln.neg %b : tensor<2xf32>
  return %na, %nb : tensor<2xi64>, tensor<2xf32>
}
