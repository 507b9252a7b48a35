// RUN: kiln-opt %s -split-input-file -convert-kiln-to-linalg | FileCheck %s

// Elu: x >= 0 ? x : alpha * expm1(x); thresholded relu: x > alpha ? x : 0;
// shrink: x < -lambd ? x + bias : (x > lambd ? x - bias : 0); softplus:
// max(x, 0) + log1p(exp(-|x|)).
// CHECK-LABEL: func @activations
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ALPHA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[EM1:.*]] = math.expm1 %[[IN]] : f32
// CHECK: %[[NEG:.*]] = arith.mulf %[[EM1]], %[[ALPHA]] : f32
// CHECK: %[[GE:.*]] = arith.cmpf oge, %[[IN]], %{{.*}} : f32
// CHECK: arith.select %[[GE]], %[[IN]], %[[NEG]] : f32
// CHECK: ^bb0(%[[IN2:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[TH:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[IN2]], %[[TH]] : f32
// CHECK: arith.select %[[GT]], %[[IN2]], %{{.*}} : f32
// CHECK: ^bb0(%[[IN3:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[BIAS:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: %[[MLAMBD:.*]] = arith.constant -1.000000e+00 : f32
// CHECK: %[[LO:.*]] = arith.cmpf olt, %[[IN3]], %[[MLAMBD]] : f32
// CHECK: %[[LAMBD:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[HI:.*]] = arith.cmpf ogt, %[[IN3]], %[[LAMBD]] : f32
// CHECK: %[[SUB:.*]] = arith.subf %[[IN3]], %[[BIAS]] : f32
// CHECK: %[[R:.*]] = arith.select %[[HI]], %[[SUB]], %{{.*}} : f32
// CHECK: %[[ADD:.*]] = arith.addf %[[IN3]], %[[BIAS]] : f32
// CHECK: arith.select %[[LO]], %[[ADD]], %[[R]] : f32
// CHECK: ^bb0(%[[IN4:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[POS:.*]] = arith.maximumf %[[IN4]], %{{.*}} : f32
// CHECK: %[[ABS:.*]] = math.absf %[[IN4]] : f32
// CHECK: %[[NABS:.*]] = arith.negf %[[ABS]] : f32
// CHECK: %[[E:.*]] = math.exp %[[NABS]] : f32
// CHECK: %[[L:.*]] = math.log1p %[[E]] : f32
// CHECK: arith.addf %[[POS]], %[[L]] : f32
// CHECK-NOT: kiln.
func.func @activations(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = kiln.elu %x {alpha = 2.0 : f64} : tensor<4xf32>
  %1 = kiln.thresholded_relu %x {alpha = 0.5 : f64} : tensor<4xf32>
  %2 = kiln.shrink %x {bias = 1.5 : f64, lambd = 1.0 : f64} : tensor<4xf32>
  %3 = kiln.softplus %x : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Arg max/min carry (value, index) through one reduction; the strict
// comparison keeps the first extremum, the non-strict one the last.
// CHECK-LABEL: func @arg
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[V:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[I:.*]] = linalg.fill ins(%{{.*}} : i64) outs(%{{.*}} : tensor<2xi64>)
// CHECK: %[[AM:.*]]:2 = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<2x3xf32>) outs(%[[V]], %[[I]] : tensor<2xf32>, tensor<2xi64>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[BEST:.*]]: f32, %[[BESTI:.*]]: i64):
// CHECK: %[[BETTER:.*]] = arith.cmpf ogt, %[[IN]], %[[BEST]] : f32
// CHECK: %[[IDX:.*]] = linalg.index 1 : index
// CHECK: %[[IDX64:.*]] = arith.index_cast %[[IDX]] : index to i64
// CHECK: %[[NV:.*]] = arith.select %[[BETTER]], %[[IN]], %[[BEST]] : f32
// CHECK: %[[NI:.*]] = arith.select %[[BETTER]], %[[IDX64]], %[[BESTI]] : i64
// CHECK: linalg.yield %[[NV]], %[[NI]] : f32, i64
// CHECK: tensor.expand_shape %[[AM]]#1 {{\[\[}}0, 1]] output_shape [2, 1]
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: arith.cmpf ole
// CHECK: linalg.index 0 : index
func.func @arg(%x: tensor<2x3xf32>) -> (tensor<2x1xi64>, tensor<3xi64>) {
  %0 = kiln.arg_max %x {axis = 1 : i64} : tensor<2x3xf32> -> tensor<2x1xi64>
  %1 = kiln.arg_min %x {axis = 0 : i64, keepdims = false, select_last_index = true} : tensor<2x3xf32> -> tensor<3xi64>
  return %0, %1 : tensor<2x1xi64>, tensor<3xi64>
}

// -----

// Hardmax: arg max, then 1 where the axis index equals it.
// CHECK-LABEL: func @hardmax
// CHECK: %[[AM:.*]]:2 = linalg.generic
// CHECK: arith.cmpf ogt
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[AM]]#1 : tensor<2x3xf32>, tensor<2xi64>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: ^bb0(%{{.*}}: f32, %[[BEST:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[J64:.*]] = arith.index_cast %[[J]] : index to i64
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[J64]], %[[BEST]] : i64
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: arith.select %[[HIT]], %[[ONE]], %[[ZERO]] : f32
func.func @hardmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.hardmax %x {axis = 1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CumSum: a reduction over a second copy of the axis (d2), summing the
// elements before the output position (exclusive: k < i).
// CHECK-DAG: #[[$CSIN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$CSOUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @cumsum
// CHECK: linalg.generic {indexing_maps = [#[[$CSIN]], #[[$CSOUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[K:.*]] = linalg.index 2 : index
// CHECK: %[[TAKE:.*]] = arith.cmpi slt, %[[K]], %[[I]] : index
// CHECK: %[[V:.*]] = arith.select %[[TAKE]], %[[IN]], %{{.*}} : f32
// CHECK: arith.addf %[[ACC]], %[[V]] : f32
func.func @cumsum(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.cumsum %x {axis = 1 : i64, exclusive = true} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Top-k: ranks (elements sorting before each one, ties by index), the index
// with each rank r < k, then the values gathered at those indices.
// CHECK-LABEL: func @top_k
// CHECK: %[[RANKS:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X:.*]], %[[X]] : tensor<3x4xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<3x4xi64>)
// CHECK: ^bb0(%[[XI:.*]]: f32, %[[XJ:.*]]: f32, %[[ACC:.*]]: i64):
// CHECK: %[[BETTER:.*]] = arith.cmpf ogt, %[[XJ]], %[[XI]] : f32
// CHECK: %[[EQ:.*]] = arith.cmpf oeq, %[[XJ]], %[[XI]] : f32
// CHECK: %[[EARLIER:.*]] = arith.cmpi ult
// CHECK: %[[TIE:.*]] = arith.andi %[[EQ]], %[[EARLIER]] : i1
// CHECK: arith.ori %[[BETTER]], %[[TIE]] : i1
// CHECK: %[[IDX:.*]] = linalg.generic {{.*}} ins(%[[RANKS]] : tensor<3x4xi64>) outs(%{{.*}} : tensor<3x2xi64>)
// CHECK: arith.cmpi eq
// CHECK: %[[VALS:.*]] = linalg.generic {{.*}} ins(%[[IDX]] : tensor<3x2xi64>) outs(%{{.*}} : tensor<3x2xf32>)
// CHECK: tensor.extract %[[X]]
// CHECK: return %[[VALS]], %[[IDX]]
func.func @top_k(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %v, %i = kiln.top_k %x {k = 2 : i64, axis = 1 : i64} : tensor<3x4xf32> -> tensor<3x2xf32>, tensor<3x2xi64>
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// Einsum: one generic, a loop per letter (result letters first); a
// repeated letter reads the diagonal.
// CHECK-DAG: #[[$EA:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$EB:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[$EO:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$DIAG:.*]] = affine_map<(d0) -> (d0, d0)>
// CHECK-LABEL: func @einsum
// CHECK: linalg.generic {indexing_maps = [#[[$EA]], #[[$EB]], #[[$EO]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: %[[P:.*]] = arith.mulf
// CHECK: arith.addf %{{.*}}, %[[P]] : f32
// CHECK: linalg.generic {indexing_maps = [#[[$DIAG]], #{{.*}}], iterator_types = ["parallel"]}
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %d: tensor<3x3xf32>) -> (tensor<2x3x5xf32>, tensor<3xf32>) {
  %0 = kiln.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %1 = kiln.einsum %d {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<2x3x5xf32>, tensor<3xf32>
}

// -----

// Max-pool indices: (max, flat index) through the window loops; with
// column_major the spatial dims flatten last-dim first.
// CHECK-LABEL: func @max_pool_indices
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: linalg.index 5 : index
// CHECK: linalg.index 3 : index
// CHECK: linalg.index 4 : index
// CHECK: linalg.index 2 : index
// CHECK: %[[FLAT:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[GT:.*]] = arith.cmpf ogt
// CHECK: arith.select %[[GT]], %[[FLAT]]
// CHECK: return %[[R]]#1
func.func @max_pool_indices(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xi64> {
  %0 = kiln.max_pool_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, column_major = true} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xi64>
  return %0 : tensor<1x1x2x2xi64>
}
