// RUN: kiln-opt %s --split-input-file --kiln-plan-memory | FileCheck %s

// %a dies before %c is allocated, so %c reuses its space; %b overlaps both.
// CHECK: module attributes {kiln.arena_buffers = 3 : i64, kiln.arena_size = 192 : i64, kiln.arena_unshared_size = 256 : i64}
// CHECK-LABEL: func @reuse
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<192xi8>
// CHECK-NOT: memref.alloc
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<192xi8> to memref<4x4xf32>
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%c64{{.*}}][] : memref<192xi8> to memref<32xf32>
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<192xi8> to memref<2xf32>
// CHECK-NOT: memref.dealloc
func.func @reuse(%in: memref<4x4xf32>, %out: memref<2xf32>) {
  %c0 = arith.constant 0 : index
  %a = memref.alloc() : memref<4x4xf32>
  memref.copy %in, %a : memref<4x4xf32> to memref<4x4xf32>
  %b = memref.alloc() : memref<32xf32>
  %v = memref.load %a[%c0, %c0] : memref<4x4xf32>
  memref.store %v, %b[%c0] : memref<32xf32>
  %c = memref.alloc() : memref<2xf32>
  %w = memref.load %b[%c0] : memref<32xf32>
  memref.store %w, %c[%c0] : memref<2xf32>
  memref.copy %c, %out : memref<2xf32> to memref<2xf32>
  memref.dealloc %a : memref<4x4xf32>
  memref.dealloc %b : memref<32xf32>
  memref.dealloc %c : memref<2xf32>
  return
}

// -----

// A use through a view inside a loop keeps the buffer live until the loop.
// CHECK: module attributes {kiln.arena_buffers = 2 : i64, kiln.arena_size = 128 : i64, kiln.arena_unshared_size = 128 : i64}
// CHECK-LABEL: func @views
// CHECK: memref.view %{{.*}}[%c0{{.*}}][] : memref<128xi8> to memref<8xf32>
// CHECK: memref.view %{{.*}}[%c64{{.*}}][] : memref<128xi8> to memref<8xf32>
func.func @views(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %f = arith.constant 1.0 : f32
  %a = memref.alloc() : memref<8xf32>
  %sub = memref.subview %a[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  %b = memref.alloc() : memref<8xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %f, %sub[%i] : memref<4xf32, strided<[1]>>
    memref.store %f, %b[%i] : memref<8xf32>
  }
  memref.dealloc %a : memref<8xf32>
  memref.dealloc %b : memref<8xf32>
  return
}

// -----

// Dynamic allocations and returned buffers are left alone; the arena
// argument is still added (empty).
// CHECK: module attributes {kiln.arena_buffers = 0 : i64, kiln.arena_size = 0 : i64, kiln.arena_unshared_size = 0 : i64}
// CHECK-LABEL: func @untouched
// CHECK-SAME: memref<0xi8>
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: return
func.func @untouched(%n: index) -> memref<4xf32> {
  %d = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %d : memref<?xf32>
  %r = memref.alloc() : memref<4xf32>
  return %r : memref<4xf32>
}
