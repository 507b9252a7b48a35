// RUN: kiln-opt %s -split-input-file -convert-kiln-to-linalg | FileCheck %s

// GatherElements reads input[i with i[axis] = wrapped indices[i]].
// CHECK-LABEL: func @gather_elements
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>, %[[I:.*]]: tensor<2x4xi64>)
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<2x4xi64>)
// CHECK: ^bb0(%[[IDX:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[C:.*]] = arith.index_cast %[[IDX]] : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[C]], %{{.*}} : index
// CHECK: %[[W:.*]] = arith.addi %[[C]], %c3
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[W]], %[[C]] : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: tensor.extract %[[X]][%[[SEL]], %[[J]]] : tensor<3x4xf32>
func.func @gather_elements(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>) -> tensor<2x4xf32> {
  %0 = kiln.gather_elements %x, %i {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// GatherND with a batch dim: the batch index is shared, the indices' last
// dim addresses the next input dim.
// CHECK-LABEL: func @gather_nd
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[I:.*]]: tensor<2x5x1xi64>)
// CHECK: linalg.generic
// CHECK: %[[B:.*]] = linalg.index 0 : index
// CHECK: %[[N:.*]] = linalg.index 1 : index
// CHECK: %[[V:.*]] = tensor.extract %[[I]][%[[B]], %[[N]], %c0{{.*}}] : tensor<2x5x1xi64>
// CHECK: %[[K:.*]] = arith.index_cast %[[V]] : i64 to index
// CHECK: %[[S:.*]] = linalg.index 2 : index
// CHECK: tensor.extract %[[X]][%[[B]], %{{.*}}, %[[S]]] : tensor<2x3x4xf32>
func.func @gather_nd(%x: tensor<2x3x4xf32>, %i: tensor<2x5x1xi64>) -> tensor<2x5x4xf32> {
  %0 = kiln.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x1xi64>) -> tensor<2x5x4xf32>
  return %0 : tensor<2x5x4xf32>
}

// -----

// Nearest resize with constant scales: the dims of scale 1 read their own
// index, the others a rounded, clamped source coordinate; one tap.
// CHECK-LABEL: func @resize_nearest
// CHECK: linalg.generic
// CHECK: %[[N:.*]] = linalg.index 0 : index
// CHECK: math.floor
// CHECK: arith.cmpf ogt, %{{.*}}, %cst{{.*}} : f64
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[SRC:.*]] = arith.select
// CHECK: tensor.extract %{{.*}}[%[[N]], %[[SRC]]] : tensor<1x2xf32>
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield
func.func @resize_nearest(%x: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %s = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = kiln.resize %x, %s : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// Linear resize with run-time scales interpolates every dim: 2 x 2 taps.
// CHECK-LABEL: func @resize_linear
// CHECK-COUNT-2: tensor.extract %{{.*}} : tensor<2xf32>
// CHECK: linalg.generic
// CHECK-COUNT-4: tensor.extract %{{.*}} : tensor<1x2xf32>
// CHECK-NOT: tensor.extract
// CHECK: arith.truncf %{{.*}} : f64 to f32
func.func @resize_linear(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<1x4xf32> {
  %0 = kiln.resize %x, %s {mode = "linear"} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// Run-time slice bounds are read before the loop; the source index is
// start + i * step, clamped into the input.
// CHECK-LABEL: func @dynamic_slice
// CHECK: tensor.extract %{{.*}} : tensor<1xi64>
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[M:.*]] = arith.muli %[[I]], %{{.*}} : index
// CHECK: arith.addi %{{.*}}, %[[M]] : index
// CHECK: arith.maxsi
// CHECK: arith.minsi
func.func @dynamic_slice(%x: tensor<4xf32>, %s: tensor<1xi64>, %a: tensor<1xi64>, %st: tensor<1xi64>) -> tensor<2xf32> {
  %0 = kiln.dynamic_slice %x, %s, %a, %st : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Constant-mode run-time padding selects the value outside the input.
// CHECK-LABEL: func @dynamic_pad
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[P:.*]]: tensor<2xi64>, %[[V:.*]]: tensor<f32>)
// CHECK: %[[VAL:.*]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK: linalg.generic
// CHECK-DAG: arith.cmpi sge
// CHECK-DAG: arith.cmpi slt
// CHECK: %[[E:.*]] = tensor.extract %[[X]]
// CHECK: arith.select %{{.*}}, %[[E]], %[[VAL]] : f32
func.func @dynamic_pad(%x: tensor<4xf32>, %p: tensor<2xi64>, %v: tensor<f32>) -> tensor<7xf32> {
  %0 = kiln.dynamic_pad %x, %p, %v : (tensor<4xf32>, tensor<2xi64>, tensor<f32>) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}
