// RUN: kiln-opt %s -split-input-file -kiln-convert-strided-copies | FileCheck %s

// A copy into a strided subview (as bufferization writes concat/pad
// results) becomes a linalg.copy.
// CHECK-LABEL: func @into_subview
// CHECK-SAME: (%[[SRC:.*]]: memref<2x3xf32>, %[[DST:.*]]: memref<2x8xf32>)
// CHECK: %[[SV:.*]] = memref.subview %[[DST]][0, 3] [2, 3] [1, 1]
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[SRC]] : memref<2x3xf32>) outs(%[[SV]] : memref<2x3xf32, strided<[8, 1], offset: 3>>)
func.func @into_subview(%src: memref<2x3xf32>, %dst: memref<2x8xf32>) {
  %sv = memref.subview %dst[0, 3] [2, 3] [1, 1] : memref<2x8xf32> to memref<2x3xf32, strided<[8, 1], offset: 3>>
  memref.copy %src, %sv : memref<2x3xf32> to memref<2x3xf32, strided<[8, 1], offset: 3>>
  return
}

// -----

// A strided source is converted too.
// CHECK-LABEL: func @from_subview
// CHECK-SAME: (%[[SRC:.*]]: memref<4x4xf32>, %[[DST:.*]]: memref<2x2xf32>)
// CHECK: %[[SV:.*]] = memref.subview %[[SRC]][1, 1] [2, 2] [2, 2]
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[SV]] : memref<2x2xf32, strided<[8, 2], offset: 5>>) outs(%[[DST]] : memref<2x2xf32>)
func.func @from_subview(%src: memref<4x4xf32>, %dst: memref<2x2xf32>) {
  %sv = memref.subview %src[1, 1] [2, 2] [2, 2] : memref<4x4xf32> to memref<2x2xf32, strided<[8, 2], offset: 5>>
  memref.copy %sv, %dst : memref<2x2xf32, strided<[8, 2], offset: 5>> to memref<2x2xf32>
  return
}

// -----

// A copy between identity-layout memrefs stays a memref.copy (memcpy).
// CHECK-LABEL: func @contiguous
// CHECK-SAME: (%[[SRC:.*]]: memref<2x3xf32>, %[[DST:.*]]: memref<2x3xf32>)
// CHECK: memref.copy %[[SRC]], %[[DST]] : memref<2x3xf32> to memref<2x3xf32>
// CHECK-NOT: linalg.copy
func.func @contiguous(%src: memref<2x3xf32>, %dst: memref<2x3xf32>) {
  memref.copy %src, %dst : memref<2x3xf32> to memref<2x3xf32>
  return
}

// -----

// A large copy (>= 32768 elements: a conv's output into its padded buffer)
// becomes an scf.forall of row copies, for the thread pool; inside a forall
// already, a copy stays one linalg.copy.
// CHECK-LABEL: func @large
// CHECK-SAME: (%[[SRC:.*]]: memref<56x56x64xf32>, %[[DST:.*]]: memref<58x58x64xf32>)
// CHECK: %[[SV:.*]] = memref.subview %[[DST]][1, 1, 0] [56, 56, 64] [1, 1, 1]
// CHECK: scf.forall (%[[I:.*]]) in (56)
// CHECK-DAG: %[[S:.*]] = memref.subview %[[SRC]][%[[I]], 0, 0] [1, 56, 64] [1, 1, 1]
// CHECK-DAG: %[[D:.*]] = memref.subview %[[SV]][%[[I]], 0, 0] [1, 56, 64] [1, 1, 1]
// CHECK: linalg.copy ins(%[[S]] : {{.*}}) outs(%[[D]] : {{.*}})
// CHECK-NOT: memref.copy
// CHECK-LABEL: func @in_forall
// CHECK: scf.forall
// CHECK-NOT: scf.forall
// CHECK: linalg.copy
func.func @large(%src: memref<56x56x64xf32>, %dst: memref<58x58x64xf32>) {
  %sv = memref.subview %dst[1, 1, 0] [56, 56, 64] [1, 1, 1] : memref<58x58x64xf32> to memref<56x56x64xf32, strided<[3712, 64, 1], offset: 3776>>
  memref.copy %src, %sv : memref<56x56x64xf32> to memref<56x56x64xf32, strided<[3712, 64, 1], offset: 3776>>
  return
}
func.func @in_forall(%src: memref<56x56x64xf32>, %dst: memref<58x58x64xf32>) {
  %sv = memref.subview %dst[1, 1, 0] [56, 56, 64] [1, 1, 1] : memref<58x58x64xf32> to memref<56x56x64xf32, strided<[3712, 64, 1], offset: 3776>>
  scf.forall (%i) in (1) {
    memref.copy %src, %sv : memref<56x56x64xf32> to memref<56x56x64xf32, strided<[3712, 64, 1], offset: 3776>>
  }
  return
}
