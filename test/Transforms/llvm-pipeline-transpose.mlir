// RUN: kiln-opt %s --kiln-llvm-pipeline | FileCheck %s

// A 16x16 f32 transpose (a block of kiln-parallelize-elementwise's
// transposes) is lowered as 64 two-source shuffles of 16-lane rows
// (shuffle16x16), not element by element (256 extracts and inserts).
// CHECK-LABEL: llvm.func @transpose16
// CHECK-COUNT-16: llvm.load {{.*}} -> vector<16xf32>
// CHECK-COUNT-64: llvm.shufflevector {{.*}} : vector<16xf32>
// CHECK-NOT: llvm.extractelement
// CHECK-NOT: llvm.insertelement
// CHECK-COUNT-16: llvm.store {{.*}} : vector<16xf32>, !llvm.ptr
// CHECK: llvm.return
func.func @transpose16(%in: memref<16x16xf32>, %out: memref<16x16xf32>) {
  %c0 = arith.constant 0 : index
  %p = arith.constant 0.0 : f32
  %v = vector.transfer_read %in[%c0, %c0], %p {in_bounds = [true, true]} : memref<16x16xf32>, vector<16x16xf32>
  %t = vector.transpose %v, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
  vector.transfer_write %t, %out[%c0, %c0] {in_bounds = [true, true]} : vector<16x16xf32>, memref<16x16xf32>
  return
}
