// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip of the data-type ops: unsigned tensors, comparisons, logical
// and integer ops, and the integer forms of abs/neg/sign.

// CHECK-LABEL: func @unsigned
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xui64>, tensor<4xui8>) {
  // CHECK: kiln.constant dense<[0, 255, 7, 128]> : tensor<4xui8>
  %c = kiln.constant dense<[0, 255, 7, 128]> : tensor<4xui8>
  // CHECK: kiln.max %{{.*}}, %{{.*}} : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %0 = kiln.max %a, %c : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  // CHECK: kiln.cast %{{.*}} : tensor<4xui8> to tensor<4xui64>
  %1 = kiln.cast %0 : tensor<4xui8> to tensor<4xui64>
  // CHECK: kiln.bitshift %{{.*}}, %{{.*}} {direction = "left"} : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %2 = kiln.bitshift %0, %b {direction = "left"} : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  return %0, %1, %2 : tensor<4xui8>, tensor<4xui64>, tensor<4xui8>
}

// CHECK-LABEL: func @compare
func.func @compare(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<3xui16>) -> (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<3xi1>) {
  // CHECK: kiln.equal %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  %0 = kiln.equal %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  // CHECK: kiln.less %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  %1 = kiln.less %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  // CHECK: kiln.less_equal
  %2 = kiln.less_equal %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  // CHECK: kiln.greater
  %3 = kiln.greater %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  // CHECK: kiln.greater_equal
  %4 = kiln.greater_equal %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  // CHECK: kiln.less %{{.*}}, %{{.*}} : tensor<3xui16>, tensor<3xui16> -> tensor<3xi1>
  %5 = kiln.less %i, %i : tensor<3xui16>, tensor<3xui16> -> tensor<3xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<3xi1>
}

// CHECK-LABEL: func @logical
func.func @logical(%a: tensor<2x3xi1>, %b: tensor<3xi1>, %x: tensor<3xf16>) -> (tensor<2x3xi1>, tensor<3xi1>, tensor<3xi1>) {
  // CHECK: kiln.and %{{.*}}, %{{.*}} : tensor<2x3xi1>, tensor<3xi1> -> tensor<2x3xi1>
  %0 = kiln.and %a, %b : tensor<2x3xi1>, tensor<3xi1> -> tensor<2x3xi1>
  // CHECK: kiln.or
  %1 = kiln.or %0, %b : tensor<2x3xi1>, tensor<3xi1> -> tensor<2x3xi1>
  // CHECK: kiln.xor
  %2 = kiln.xor %1, %a : tensor<2x3xi1>, tensor<2x3xi1> -> tensor<2x3xi1>
  // CHECK: kiln.not %{{.*}} : tensor<2x3xi1>
  %3 = kiln.not %2 : tensor<2x3xi1>
  // CHECK: kiln.is_inf %{{.*}} {detect_negative = false} : tensor<3xf16> -> tensor<3xi1>
  %4 = kiln.is_inf %x {detect_negative = false} : tensor<3xf16> -> tensor<3xi1>
  // CHECK: kiln.is_nan %{{.*}} : tensor<3xf16> -> tensor<3xi1>
  %5 = kiln.is_nan %x : tensor<3xf16> -> tensor<3xi1>
  return %3, %4, %5 : tensor<2x3xi1>, tensor<3xi1>, tensor<3xi1>
}

// CHECK-LABEL: func @integer
func.func @integer(%a: tensor<4xi8>, %b: tensor<4xi8>, %f: tensor<4xf64>, %s: tensor<i32>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xf64>, tensor<5xi32>) {
  // CHECK: kiln.abs %{{.*}} : tensor<4xi8>
  %0 = kiln.abs %a : tensor<4xi8>
  // CHECK: kiln.neg %{{.*}} : tensor<4xi8>
  %1 = kiln.neg %0 : tensor<4xi8>
  // CHECK: kiln.sign %{{.*}} : tensor<4xi8>
  %2 = kiln.sign %1 : tensor<4xi8>
  // CHECK: kiln.mod %{{.*}}, %{{.*}} : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  %3 = kiln.mod %a, %b : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  // CHECK: kiln.mod %{{.*}}, %{{.*}} {fmod = true} : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  %4 = kiln.mod %f, %f {fmod = true} : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  // CHECK: kiln.range %{{.*}}, %{{.*}} : tensor<i32> -> tensor<5xi32>
  %5 = kiln.range %s, %s : tensor<i32> -> tensor<5xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xf64>, tensor<5xi32>
}
