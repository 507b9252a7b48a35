// RUN: kiln-opt %s -convert-kiln-to-linalg | FileCheck %s

// A kernel's ops are lowered in place: the region is inlined and its
// results are the yielded values; the kernel marks stay between kernels.
// CHECK-LABEL: func @kernels
// CHECK-NOT: kiln.
// CHECK: call @kiln_kernel_mark
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: call @kiln_kernel_mark
// CHECK: %[[R:.*]] = linalg.generic
// CHECK: arith.maximumf
// CHECK: return %[[R]]
func.func private @kiln_kernel_mark(i32)
func.func @kernels(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : i32
  call @kiln_kernel_mark(%c0) : (i32) -> ()
  %0 = kiln.fusion "a" anchor "elementwise" -> tensor<4xf32> {
    %e = kiln.exp %x : tensor<4xf32>
    kiln.yield %e : tensor<4xf32>
  }
  %c1 = arith.constant 1 : i32
  call @kiln_kernel_mark(%c1) : (i32) -> ()
  %1 = kiln.fusion "b" anchor "elementwise" -> tensor<4xf32> {
    %r = kiln.relu %0 : tensor<4xf32>
    kiln.yield %r : tensor<4xf32>
  }
  return %1 : tensor<4xf32>
}
