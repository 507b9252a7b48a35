// RUN: kiln-opt %s -split-input-file -kiln-form-kernels | FileCheck %s
// RUN: kiln-opt %s -split-input-file -kiln-form-kernels -mlir-print-debuginfo | FileCheck %s --check-prefix=LOC

// conv + bias add + relu + residual add + clip: one kernel named after the
// conv, yielding the last op; the pad is fused into the conv.
// CHECK-LABEL: func @conv_chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>, %[[R:.*]]: tensor<1x2x4x4xf32>)
// CHECK: %[[K:.*]] = kiln.fusion "conv1" anchor "kiln.conv" -> tensor<1x2x4x4xf32> {
// CHECK-NEXT: kiln.pad %[[X]]
// CHECK-NEXT: kiln.conv
// CHECK-NEXT: kiln.add
// CHECK-NEXT: kiln.relu
// CHECK-NEXT: kiln.add %{{.*}}, %[[R]]
// CHECK-NEXT: %[[C:.*]] = kiln.clip
// CHECK-NEXT: kiln.yield %[[C]] : tensor<1x2x4x4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[K]]
// LOC-LABEL: func @conv_chain
// LOC: kiln.yield {{.*}} loc([[FUSED:#loc[0-9]+]])
// The kernel's location fuses its six ops' locations.
// LOC: [[FUSED]] = loc(fused[#loc{{[0-9]+}}, #loc{{[0-9]+}}, #loc{{[0-9]+}}, #loc{{[0-9]+}}, #loc{{[0-9]+}}, #loc{{[0-9]+}}])
func.func @conv_chain(%x: tensor<1x2x4x4xf32>, %res: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = kiln.constant dense<1.0> : tensor<2x2x3x3xf32>
  %b = kiln.constant dense<0.5> : tensor<1x2x1x1xf32>
  %p = kiln.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : tensor<1x2x4x4xf32> -> tensor<1x2x6x6xf32> loc("pad0")
  %c = kiln.conv %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32> loc("conv1")
  %a = kiln.add %c, %b : tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32> -> tensor<1x2x4x4xf32> loc("bias1")
  %r = kiln.relu %a : tensor<1x2x4x4xf32> loc("relu1")
  %s = kiln.add %r, %res : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32> loc("res1")
  %y = kiln.clip %s {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x2x4x4xf32> loc("clip1")
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A result read twice ends the kernel: the conv output feeds both the
// sigmoid and the multiply (SiLU), so the conv is alone and the sigmoid
// starts an elementwise kernel that takes the multiply.
// CHECK-LABEL: func @shared_result
// CHECK: %[[C:.*]] = kiln.fusion "conv" anchor "kiln.conv"
// CHECK-NEXT: kiln.conv
// CHECK-NEXT: kiln.yield
// CHECK: kiln.fusion "sig" anchor "elementwise"
// CHECK-NEXT: kiln.sigmoid %[[C]]
// CHECK-NEXT: kiln.mul %[[C]]
// CHECK-NEXT: kiln.yield
func.func @shared_result(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %w = kiln.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x3x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x3x3xf32> loc("conv")
  %s = kiln.sigmoid %c : tensor<1x1x3x3xf32> loc("sig")
  %y = kiln.mul %c, %s : tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32> -> tensor<1x1x3x3xf32> loc("silu")
  return %y : tensor<1x1x3x3xf32>
}

// -----

// Data movement is a kernel of its own and fuses nothing; reshapes and
// constants are in no kernel; a transposed matmul operand is fused into the
// matmul, softmax is its own anchor.
// CHECK-LABEL: func @mixed
// CHECK: kiln.fusion "cat" anchor "kiln.concat"
// CHECK-NEXT: kiln.concat
// CHECK-NEXT: kiln.yield
// CHECK: kiln.fusion "neg" anchor "elementwise"
// CHECK-NEXT: kiln.neg
// CHECK-NEXT: kiln.yield
// CHECK: kiln.reshape
// CHECK: kiln.fusion "mm" anchor "kiln.matmul"
// CHECK-NEXT: kiln.transpose
// CHECK-NEXT: kiln.matmul
// CHECK-NEXT: kiln.yield
// CHECK: kiln.fusion "sm" anchor "kiln.softmax"
// CHECK-NEXT: kiln.softmax
// CHECK-NEXT: kiln.yield
// CHECK-NOT: kiln.fusion
func.func @mixed(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %c = kiln.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32> loc("cat")
  %n = kiln.neg %c : tensor<4x3xf32> loc("neg")
  %r = kiln.reshape %n : tensor<4x3xf32> -> tensor<2x6xf32> loc("flat")
  %t = kiln.transpose %r {perm = array<i64: 1, 0>} : tensor<2x6xf32> -> tensor<6x2xf32> loc("tr")
  %m = kiln.matmul %r, %t : tensor<2x6xf32>, tensor<6x2xf32> -> tensor<2x2xf32> loc("mm")
  %s = kiln.softmax %m {axis = 1 : i64} : tensor<2x2xf32> loc("sm")
  return %s : tensor<2x2xf32>
}

// -----

// Already formed kernels are left alone (the pass is idempotent), and a
// function without kiln ops gets no kernel.
// CHECK-LABEL: func @formed
// CHECK: kiln.fusion "r" anchor "elementwise"
// CHECK-NEXT: kiln.relu
// CHECK-NEXT: kiln.yield
// CHECK-NOT: kiln.fusion
// CHECK-LABEL: func @empty
// CHECK-NOT: kiln.fusion
func.func @formed(%x: tensor<4xf32>) -> tensor<4xf32> {
  %k = kiln.fusion "r" anchor "elementwise" -> tensor<4xf32> {
    %r = kiln.relu %x : tensor<4xf32>
    kiln.yield %r : tensor<4xf32>
  }
  return %k : tensor<4xf32>
}
func.func @empty(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
