// RUN: kiln-opt %s -split-input-file -convert-kiln-to-linalg | FileCheck %s

// Unsigned kiln types lower to signless ones (signatures, constants, every
// tensor) and select the unsigned arith ops.

// CHECK-LABEL: func @unsigned
// CHECK-SAME: (%[[A:.*]]: tensor<4xi8>, %[[B:.*]]: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi8>, tensor<4xi8>)
// CHECK: %[[C:.*]] = arith.constant dense<[0, -1, 7, -128]> : tensor<4xi8>
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[C]] : tensor<4xi8>, tensor<4xi8>)
// CHECK: arith.maxui %{{.*}}, %{{.*}} : i8
// CHECK: %[[LT:.*]] = linalg.generic {{.*}} ins(%[[MAX]], %[[B]] : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi1>)
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i8
// CHECK: %[[DIV:.*]] = linalg.generic
// CHECK: arith.divui
// CHECK: %[[MIN:.*]] = linalg.generic
// CHECK: arith.minui
// CHECK: %[[MOD:.*]] = linalg.generic
// CHECK: arith.remui
// CHECK: return %[[DIV]], %[[LT]], %[[MAX]], %[[MIN]], %[[MOD]] : tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi8>, tensor<4xi8>
// CHECK-NOT: ui8
// CHECK-NOT: unrealized_conversion_cast
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xui8>, tensor<4xui8>) {
  %c = kiln.constant dense<[0, 255, 7, 128]> : tensor<4xui8>
  %0 = kiln.max %a, %c : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %1 = kiln.less %0, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xi1>
  %2 = kiln.div %0, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %3 = kiln.min %0, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %4 = kiln.mod %0, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  return %2, %1, %0, %3, %4 : tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xui8>, tensor<4xui8>
}

// -----

// Casts read the source's signedness and write the target's; bool is 0/1.
// CHECK-LABEL: func @casts
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.fptoui %{{.*}} : f32 to i16
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.extui %{{.*}} : i8 to i64
// CHECK: arith.uitofp %{{.*}} : i1 to f16
// CHECK: arith.cmpf une, %{{.*}}, %{{.*}} : f32
// CHECK: arith.extui %{{.*}} : i1 to i32
// CHECK: arith.trunci %{{.*}} : i64 to i8
// bf16 <-> f16 has no direct arith cast: through f32.
// CHECK: %[[W:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %[[W]] : f32 to bf16
// CHECK: arith.sitofp %{{.*}} : i32 to f64
func.func @casts(%u: tensor<2xui8>, %f: tensor<2xf32>, %i: tensor<2xi8>, %b: tensor<2xi1>, %l: tensor<2xui64>, %h: tensor<2xf16>, %s: tensor<2xi32>) -> (tensor<2xf32>, tensor<2xui16>, tensor<2xi32>, tensor<2xi64>, tensor<2xf16>, tensor<2xi1>, tensor<2xi32>, tensor<2xi8>, tensor<2xbf16>, tensor<2xf64>) {
  %0 = kiln.cast %u : tensor<2xui8> to tensor<2xf32>
  %1 = kiln.cast %f : tensor<2xf32> to tensor<2xui16>
  %2 = kiln.cast %i : tensor<2xi8> to tensor<2xi32>
  %3 = kiln.cast %u : tensor<2xui8> to tensor<2xi64>
  %4 = kiln.cast %b : tensor<2xi1> to tensor<2xf16>
  %5 = kiln.cast %f : tensor<2xf32> to tensor<2xi1>
  %6 = kiln.cast %b : tensor<2xi1> to tensor<2xi32>
  %7 = kiln.cast %l : tensor<2xui64> to tensor<2xi8>
  %8 = kiln.cast %h : tensor<2xf16> to tensor<2xbf16>
  %9 = kiln.cast %s : tensor<2xi32> to tensor<2xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<2xf32>, tensor<2xui16>, tensor<2xi32>, tensor<2xi64>, tensor<2xf16>, tensor<2xi1>, tensor<2xi32>, tensor<2xi8>, tensor<2xbf16>, tensor<2xf64>
}

// -----

// Integer Mod without fmod takes the divisor's sign (Python %).
// CHECK-LABEL: func @mod
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[R:.*]] = arith.remsi %[[X]], %[[Y]] : i32
// CHECK: %[[Z:.*]] = arith.constant 0 : i32
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %[[R]], %[[Z]] : i32
// CHECK: %[[RN:.*]] = arith.cmpi slt, %[[R]], %[[Z]] : i32
// CHECK: %[[YN:.*]] = arith.cmpi slt, %[[Y]], %[[Z]] : i32
// CHECK: %[[D:.*]] = arith.xori %[[RN]], %[[YN]] : i1
// CHECK: %[[F:.*]] = arith.andi %[[NZ]], %[[D]] : i1
// CHECK: %[[S:.*]] = arith.addi %[[R]], %[[Y]] : i32
// CHECK: arith.select %[[F]], %[[S]], %[[R]] : i32
// fmod is the C remainder.
// CHECK: arith.remsi
// CHECK-NEXT: linalg.yield
// CHECK: arith.remf %{{.*}}, %{{.*}} : f16
func.func @mod(%a: tensor<3xi32>, %b: tensor<3xi32>, %h: tensor<3xf16>) -> (tensor<3xi32>, tensor<3xi32>, tensor<3xf16>) {
  %0 = kiln.mod %a, %b : tensor<3xi32>, tensor<3xi32> -> tensor<3xi32>
  %1 = kiln.mod %a, %b {fmod = true} : tensor<3xi32>, tensor<3xi32> -> tensor<3xi32>
  %2 = kiln.mod %h, %h {fmod = true} : tensor<3xf16>, tensor<3xf16> -> tensor<3xf16>
  return %0, %1, %2 : tensor<3xi32>, tensor<3xi32>, tensor<3xf16>
}

// -----

// Shifts by the bit width or more give 0.
// CHECK-LABEL: func @bitshift
// CHECK: ^bb0(%[[X:.*]]: i16, %[[Y:.*]]: i16, %{{.*}}: i16):
// CHECK: %[[W:.*]] = arith.constant 16 : i16
// CHECK: %[[OK:.*]] = arith.cmpi ult, %[[Y]], %[[W]] : i16
// CHECK: %[[S:.*]] = arith.shli %[[X]], %[[Y]] : i16
// CHECK: %[[Z:.*]] = arith.constant 0 : i16
// CHECK: arith.select %[[OK]], %[[S]], %[[Z]] : i16
// CHECK: arith.shrui
func.func @bitshift(%a: tensor<3xui16>, %b: tensor<3xui16>) -> (tensor<3xui16>, tensor<3xui16>) {
  %0 = kiln.bitshift %a, %b {direction = "left"} : tensor<3xui16>, tensor<3xui16> -> tensor<3xui16>
  %1 = kiln.bitshift %a, %b {direction = "right"} : tensor<3xui16>, tensor<3xui16> -> tensor<3xui16>
  return %0, %1 : tensor<3xui16>, tensor<3xui16>
}

// -----

// CHECK-LABEL: func @predicates
// Comparisons of floats are ordered (NaN compares false); bool as unsigned.
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpf ole
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i64
// CHECK: arith.cmpi uge, %{{.*}}, %{{.*}} : i1
// CHECK: arith.andi
// CHECK: arith.ori
// CHECK: arith.xori
// Not is xor with true.
// CHECK: %[[T:.*]] = arith.constant true
// CHECK: arith.xori %{{.*}}, %[[T]] : i1
// IsInf of +inf only, then IsNaN.
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: arith.cmpf oeq, %{{.*}}, %[[INF]] : f32
// CHECK: arith.cmpf uno
func.func @predicates(%f: tensor<2xf32>, %i: tensor<2xi64>, %b: tensor<2xi1>) -> (tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>) {
  %0 = kiln.equal %f, %f : tensor<2xf32>, tensor<2xf32> -> tensor<2xi1>
  %1 = kiln.less_equal %f, %f : tensor<2xf32>, tensor<2xf32> -> tensor<2xi1>
  %2 = kiln.greater %i, %i : tensor<2xi64>, tensor<2xi64> -> tensor<2xi1>
  %3 = kiln.greater_equal %b, %b : tensor<2xi1>, tensor<2xi1> -> tensor<2xi1>
  %4 = kiln.and %b, %3 : tensor<2xi1>, tensor<2xi1> -> tensor<2xi1>
  %5 = kiln.or %b, %4 : tensor<2xi1>, tensor<2xi1> -> tensor<2xi1>
  %6 = kiln.xor %b, %5 : tensor<2xi1>, tensor<2xi1> -> tensor<2xi1>
  %7 = kiln.not %6 : tensor<2xi1>
  %8 = kiln.is_inf %f {detect_negative = false} : tensor<2xf32> -> tensor<2xi1>
  %9 = kiln.is_nan %f : tensor<2xf32> -> tensor<2xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>
}

// -----

// CHECK-LABEL: func @integer_unary
// CHECK: math.absi %{{.*}} : i32
// CHECK: %[[Z:.*]] = arith.constant 0 : i32
// CHECK: arith.subi %[[Z]], %{{.*}} : i32
// Sign of a float keeps 0 and NaN: select(x > 0, 1, select(x < 0, -1, x)).
// CHECK: ^bb0(%[[X:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[ZF:.*]] = arith.constant 0.000000e+00 : f64
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK: %[[M1:.*]] = arith.constant -1.000000e+00 : f64
// CHECK: %[[P:.*]] = arith.cmpf ogt, %[[X]], %[[ZF]] : f64
// CHECK: %[[N:.*]] = arith.cmpf olt, %[[X]], %[[ZF]] : f64
// CHECK: %[[S:.*]] = arith.select %[[N]], %[[M1]], %[[X]] : f64
// CHECK: arith.select %[[P]], %[[ONE]], %[[S]] : f64
// Abs of an unsigned value is the value.
// CHECK: ^bb0(%[[U:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: linalg.yield %[[U]] : i8
func.func @integer_unary(%i: tensor<2xi32>, %f: tensor<2xf64>, %u: tensor<2xui8>) -> (tensor<2xi32>, tensor<2xi32>, tensor<2xf64>, tensor<2xui8>) {
  %0 = kiln.abs %i : tensor<2xi32>
  %1 = kiln.neg %i : tensor<2xi32>
  %2 = kiln.sign %f : tensor<2xf64>
  %3 = kiln.abs %u : tensor<2xui8>
  return %0, %1, %2, %3 : tensor<2xi32>, tensor<2xi32>, tensor<2xf64>, tensor<2xui8>
}

// -----

// Range is start + i * delta; unsigned data movement and reductions.
// CHECK-LABEL: func @range_and_moves
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel"]} ins(%{{.*}}, %{{.*}} : tensor<i32>, tensor<i32>) outs(%{{.*}} : tensor<5xi32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[I32:.*]] = arith.trunci %[[I64]] : i64 to i32
// CHECK: %[[M:.*]] = arith.muli %[[I32]], %{{.*}} : i32
// CHECK: arith.addi %{{.*}}, %[[M]] : i32
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3xi16>) outs(%{{.*}} : tensor<3x2xi16>)
// CHECK: tensor.extract_slice %{{.*}}[1, 0] [1, 3] [1, 1] : tensor<2x3xi16> to tensor<1x3xi16>
// CHECK: %[[P:.*]] = arith.constant 7 : i16
// CHECK: tensor.pad
// CHECK: tensor.yield %[[P]] : i16
// CHECK: %[[LOW:.*]] = arith.constant 0 : i16
// CHECK: linalg.fill ins(%[[LOW]] : i16)
// CHECK: arith.maxui
func.func @range_and_moves(%s: tensor<i32>, %a: tensor<2x3xui16>) -> (tensor<5xi32>, tensor<3x2xui16>, tensor<1x3xui16>, tensor<4x5xui16>, tensor<2x1xui16>) {
  %0 = kiln.range %s, %s : tensor<i32> -> tensor<5xi32>
  %1 = kiln.transpose %a {perm = array<i64: 1, 0>} : tensor<2x3xui16> -> tensor<3x2xui16>
  %2 = kiln.slice %a {starts = array<i64: 1, 0>, ends = array<i64: 2, 3>, steps = array<i64: 1, 1>} : tensor<2x3xui16> -> tensor<1x3xui16>
  %3 = kiln.pad %a {pads = array<i64: 1, 1, 1, 1>, value = 7.0 : f64} : tensor<2x3xui16> -> tensor<4x5xui16>
  %4 = kiln.reduce_max %a {axes = array<i64: 1>} : tensor<2x3xui16> -> tensor<2x1xui16>
  return %0, %1, %2, %3, %4 : tensor<5xi32>, tensor<3x2xui16>, tensor<1x3xui16>, tensor<4x5xui16>, tensor<2x1xui16>
}
