// RUN: kiln-opt %s -split-input-file -kiln-mark-kernels -verify-diagnostics | FileCheck %s

// Kernel i is preceded by kiln_kernel_mark(i), the return by
// kiln_kernel_mark(N); the names go into the module's kernel table.
// CHECK: module attributes {kiln.kernels = ["a", "b"]}
// CHECK: func.func private @kiln_kernel_mark(i32)
// CHECK-LABEL: func @two
// CHECK: %[[C0:.*]] = arith.constant 0 : i32
// CHECK-NEXT: call @kiln_kernel_mark(%[[C0]]) : (i32) -> ()
// CHECK-NEXT: kiln.fusion "a"
// CHECK: %[[C1:.*]] = arith.constant 1 : i32
// CHECK-NEXT: call @kiln_kernel_mark(%[[C1]])
// CHECK-NEXT: kiln.fusion "b"
// CHECK: %[[C2:.*]] = arith.constant 2 : i32
// CHECK-NEXT: call @kiln_kernel_mark(%[[C2]])
// CHECK-NEXT: return
func.func @two(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kiln.fusion "a" anchor "elementwise" -> tensor<4xf32> {
    %r = kiln.relu %x : tensor<4xf32>
    kiln.yield %r : tensor<4xf32>
  }
  %1 = kiln.fusion "b" anchor "elementwise" -> tensor<4xf32> {
    %e = kiln.exp %0 : tensor<4xf32>
    kiln.yield %e : tensor<4xf32>
  }
  return %1 : tensor<4xf32>
}

// -----

// Without kernels nothing is added.
// CHECK-NOT: kiln.kernels
// CHECK-NOT: kiln_kernel_mark
// CHECK-LABEL: func @none
func.func @none(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// A module marked already is an error, not a second set of marks.
// expected-error @+1 {{kernels are already marked ('kiln_kernel_mark' exists)}}
module {
  func.func private @kiln_kernel_mark(i32)
  func.func @again(%x: tensor<4xf32>) -> tensor<4xf32> {
    %0 = kiln.fusion "a" anchor "elementwise" -> tensor<4xf32> {
      %r = kiln.relu %x : tensor<4xf32>
      kiln.yield %r : tensor<4xf32>
    }
    return %0 : tensor<4xf32>
  }
}
