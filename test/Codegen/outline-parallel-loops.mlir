// RUN: kiln-opt %s --split-input-file --kiln-outline-parallel-loops | FileCheck %s

// A 1-D forall on buffers becomes kiln_par_0(captures..., begin, end) and a
// call over all 4 iterations (lib/Target dispatches it to the thread pool).
// CHECK-LABEL: func.func private @kiln_par_0
// CHECK-SAME: (%[[IN:.*]]: memref<8x16xf32>, %[[OUT:.*]]: memref<8x16xf32>, %[[B:.*]]: index, %[[E:.*]]: index)
// CHECK: scf.for %[[I:.*]] = %[[B]] to %[[E]] step %c1
// CHECK: %[[IV:.*]] = arith.addi %c0{{.*}}, %{{.*}} : index
// CHECK: memref.subview %[[IN]][%[[IV]], 0] [2, 16] [1, 1]
// CHECK-LABEL: func.func @main
// CHECK-NOT: scf.forall
// CHECK: call @kiln_par_0(%arg0, %arg1, %c0{{.*}}, %c4{{.*}}) : (memref<8x16xf32>, memref<8x16xf32>, index, index) -> ()
func.func @main(%in: memref<8x16xf32>, %out: memref<8x16xf32>) {
  scf.forall (%i) = (0) to (8) step (2) {
    %s = memref.subview %in[%i, 0] [2, 16] [1, 1] : memref<8x16xf32> to memref<2x16xf32, strided<[16, 1], offset: ?>>
    %d = memref.subview %out[%i, 0] [2, 16] [1, 1] : memref<8x16xf32> to memref<2x16xf32, strided<[16, 1], offset: ?>>
    memref.copy %s, %d : memref<2x16xf32, strided<[16, 1], offset: ?>> to memref<2x16xf32, strided<[16, 1], offset: ?>>
  }
  return
}

// -----

// A strided view with constant offsets (a pooling window) is rebuilt inside
// the outlined function from the buffer it views, which is passed.
// CHECK-LABEL: func.func private @kiln_par_{{[0-9]+}}(%{{.*}}: memref<8x32xf32>, %{{.*}}: memref<8x16xf32>, %{{.*}}: index, %{{.*}}: index)
// CHECK: memref.subview %{{.*}}[0, 0] [8, 16] [1, 2] : memref<8x32xf32> to memref<8x16xf32, strided<[32, 2]>>
// CHECK-LABEL: func.func @strided
// CHECK: call @kiln_par_
// CHECK-NOT: scf.forall
func.func @strided(%in: memref<8x32xf32>, %out: memref<8x16xf32>) {
  %v = memref.subview %in[0, 0] [8, 16] [1, 2] : memref<8x32xf32> to memref<8x16xf32, strided<[32, 2]>>
  scf.forall (%i) = (0) to (8) step (2) {
    %s = memref.subview %v[%i, 0] [2, 16] [1, 1] : memref<8x16xf32, strided<[32, 2]>> to memref<2x16xf32, strided<[32, 2], offset: ?>>
    %d = memref.subview %out[%i, 0] [2, 16] [1, 1] : memref<8x16xf32> to memref<2x16xf32, strided<[16, 1], offset: ?>>
    memref.copy %s, %d : memref<2x16xf32, strided<[32, 2], offset: ?>> to memref<2x16xf32, strided<[16, 1], offset: ?>>
  }
  return
}

// -----

// A view whose offset is only known at run time cannot be rebuilt from a
// bare pointer: the loop stays in the function, as sequential scf.for.
// CHECK-LABEL: func.func @dynamic_view
// CHECK-NOT: kiln_par
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c8{{.*}} step %c2
func.func @dynamic_view(%in: memref<8x32xf32>, %out: memref<8x16xf32>, %k: index) {
  %v = memref.subview %in[0, %k] [8, 16] [1, 1] : memref<8x32xf32> to memref<8x16xf32, strided<[32, 1], offset: ?>>
  scf.forall (%i) = (0) to (8) step (2) {
    %s = memref.subview %v[%i, 0] [2, 16] [1, 1] : memref<8x16xf32, strided<[32, 1], offset: ?>> to memref<2x16xf32, strided<[32, 1], offset: ?>>
    %d = memref.subview %out[%i, 0] [2, 16] [1, 1] : memref<8x16xf32> to memref<2x16xf32, strided<[16, 1], offset: ?>>
    memref.copy %s, %d : memref<2x16xf32, strided<[32, 1], offset: ?>> to memref<2x16xf32, strided<[16, 1], offset: ?>>
  }
  return
}
