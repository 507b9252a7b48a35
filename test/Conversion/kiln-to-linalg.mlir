// RUN: kiln-opt %s -split-input-file -convert-kiln-to-linalg | FileCheck %s

// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @unary
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID2]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[T:.*]] = math.tanh %[[IN]] : f32
// CHECK: linalg.yield %[[T]] : f32
// Sigmoid is 1 / (1 + exp(-x)).
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN2:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[NEG:.*]] = arith.negf %[[IN2]] : f32
// CHECK: %[[EXP:.*]] = math.exp %[[NEG]] : f32
// CHECK: %[[DEN:.*]] = arith.addf %[[ONE]], %[[EXP]] : f32
// CHECK: %[[SIG:.*]] = arith.divf %[[ONE]], %[[DEN]] : f32
// CHECK: linalg.yield %[[SIG]] : f32
// Round is round-half-to-even (ONNX), relu is maximumf with 0.
// CHECK: linalg.generic
// CHECK: math.roundeven
// CHECK: linalg.generic
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.maximumf %{{.*}}, %[[Z]] : f32
// CHECK-NOT: kiln.
func.func @unary(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = kiln.tanh %x : tensor<2x3xf32>
  %1 = kiln.sigmoid %x : tensor<2x3xf32>
  %2 = kiln.round %x : tensor<2x3xf32>
  %3 = kiln.relu %x : tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @unary_attrs
// clip with only a min: one maximumf, no minimumf.
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[MIN:.*]] = arith.constant -1.000000e+00 : f32
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[IN]], %[[MIN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// leaky_relu: select(x >= 0, x, alpha * x).
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN2:.*]]: f32, %{{.*}}: f32):
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ALPHA:.*]] = arith.constant 1.000000e-01 : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[IN2]], %[[ALPHA]] : f32
// CHECK: %[[GE:.*]] = arith.cmpf oge, %[[IN2]], %[[ZERO]] : f32
// CHECK: %[[SEL:.*]] = arith.select %[[GE]], %[[IN2]], %[[SCALED]] : f32
// CHECK: linalg.yield %[[SEL]] : f32
// hard_sigmoid: max(0, min(1, alpha * x + beta)).
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN3:.*]]: f32, %{{.*}}: f32):
// CHECK-DAG: %[[HB:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[HA:.*]] = arith.constant 2.000000e-01 : f32
// CHECK: %[[AX:.*]] = arith.mulf %[[IN3]], %[[HA]] : f32
// CHECK: %[[AXB:.*]] = arith.addf %[[AX]], %[[HB]] : f32
// CHECK: %[[HONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[LO:.*]] = arith.minimumf %[[AXB]], %[[HONE]] : f32
// CHECK: %[[HZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[HS:.*]] = arith.maximumf %[[LO]], %[[HZERO]] : f32
// CHECK: linalg.yield %[[HS]] : f32
func.func @unary_attrs(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = kiln.clip %x {min = -1.0 : f64} : tensor<4xf32>
  %1 = kiln.leaky_relu %x {alpha = 0.1 : f64} : tensor<4xf32>
  %2 = kiln.hard_sigmoid %x : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Broadcast operands index the result's loops: size-1 dims that broadcast
// read index 0, missing leading dims are dropped.
// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @binary_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<2x1x4xf32>, %[[B:.*]]: tensor<3x1xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<2x1x4xf32>, tensor<3x1xf32>) outs(%[[E]] : tensor<2x3x4xf32>)
// CHECK: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[S:.*]] = arith.subf %[[L]], %[[R]] : f32
// CHECK: linalg.yield %[[S]] : f32
func.func @binary_broadcast(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.sub %a, %b : tensor<2x1x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Integer ops: signed division, power by squaring over the exponent's bits
// (no math.ipowi, which the LLVM pipeline cannot lower), maxsi.
// CHECK-LABEL: func @binary_int
// CHECK: linalg.generic
// CHECK: arith.divsi %{{.*}}, %{{.*}} : i32
// CHECK: linalg.generic
// CHECK-NOT: math.ipowi
// CHECK-COUNT-32: arith.trunci %{{.*}} : i32 to i1
// CHECK: linalg.generic
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : i32
// CHECK: linalg.generic
// CHECK: math.powf %{{.*}}, %{{.*}} : f32
func.func @binary_int(%a: tensor<4xi32>, %b: tensor<4xi32>, %f: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf32>) {
  %0 = kiln.div %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %1 = kiln.pow %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %2 = kiln.max %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %3 = kiln.pow %f, %f : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf32>
}

// -----

// CHECK-DAG: #[[$COND:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @where
// CHECK-SAME: (%[[C:.*]]: tensor<2x1xi1>, %[[A:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<f32>)
// CHECK: linalg.generic {indexing_maps = [#[[$COND]], #[[$LHS]], #[[$SCALAR]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[C]], %[[A]], %[[B]] : tensor<2x1xi1>, tensor<3xf32>, tensor<f32>)
// CHECK: ^bb0(%[[IC:.*]]: i1, %[[IA:.*]]: f32, %[[IB:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[S:.*]] = arith.select %[[IC]], %[[IA]], %[[IB]] : f32
// CHECK: linalg.yield %[[S]]
func.func @where(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = kiln.where %c, %a, %b : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @cast
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN0:.*]]: f32, %{{.*}}: i64):
// CHECK: %[[R0:.*]] = arith.fptosi %[[IN0]] : f32 to i64
// CHECK: linalg.yield %[[R0]] : i64
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN1:.*]]: i64, %{{.*}}: f32):
// CHECK: arith.sitofp %[[IN1]] : i64 to f32
// To i1: compare with zero (unordered, so NaN is true).
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN2:.*]]: f32, %{{.*}}: i1):
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.cmpf une, %[[IN2]], %[[Z]] : f32
// From i1: zero-extend (true is 1).
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN3:.*]]: i1, %{{.*}}: i32):
// CHECK: arith.extui %[[IN3]] : i1 to i32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN4:.*]]: i1, %{{.*}}: f32):
// CHECK: arith.uitofp %[[IN4]] : i1 to f32
// CHECK: linalg.generic
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK: linalg.generic
// CHECK: arith.extf %{{.*}} : f16 to f32
func.func @cast(%x: tensor<4xf32>, %i: tensor<4xi64>, %b: tensor<4xi1>, %h: tensor<4xf16>) -> (tensor<4xi64>, tensor<4xf32>, tensor<4xi1>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>) {
  %0 = kiln.cast %x : tensor<4xf32> to tensor<4xi64>
  %1 = kiln.cast %i : tensor<4xi64> to tensor<4xf32>
  %2 = kiln.cast %x : tensor<4xf32> to tensor<4xi1>
  %3 = kiln.cast %b : tensor<4xi1> to tensor<4xi32>
  %4 = kiln.cast %b : tensor<4xi1> to tensor<4xf32>
  %5 = kiln.cast %i : tensor<4xi64> to tensor<4xi32>
  %6 = kiln.cast %h : tensor<4xf16> to tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi64>, tensor<4xf32>, tensor<4xi1>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @constant
// CHECK: %[[A:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[B:.*]] = arith.constant dense_resource<blob> : tensor<2xf32>
// CHECK: return %[[A]], %[[B]]
func.func @constant() -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = kiln.constant dense_resource<blob> : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// CHECK-LABEL: func @matmul_2d
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4x5xf32>)
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x5xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<3x5xf32>)
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[F]] : tensor<3x5xf32>)
// CHECK: return %[[M]]
func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = kiln.matmul %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// [..., M, K] x [K, N]: the batch folds into M.
// CHECK-LABEL: func @matmul_3d_2d
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<4x5xf32>)
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[C]], %[[B]] : tensor<6x4xf32>, tensor<4x5xf32>) outs(%{{.*}} : tensor<6x5xf32>)
// CHECK: %[[R:.*]] = tensor.expand_shape %[[M]] {{\[}}[0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xf32> into tensor<2x3x5xf32>
// CHECK: return %[[R]]
func.func @matmul_3d_2d(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = kiln.matmul %a, %b : tensor<2x3x4xf32>, tensor<4x5xf32> -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Equal batch dims: one batch_matmul over the collapsed batch.
// CHECK-LABEL: func @matmul_batch
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4x5xf32>, %[[B:.*]]: tensor<2x3x5x6xf32>)
// CHECK-DAG: %[[CA:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2], [3]] : tensor<2x3x4x5xf32> into tensor<6x4x5xf32>
// CHECK-DAG: %[[CB:.*]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1], [2], [3]] : tensor<2x3x5x6xf32> into tensor<6x5x6xf32>
// CHECK: %[[M:.*]] = linalg.batch_matmul ins(%[[CA]], %[[CB]] : tensor<6x4x5xf32>, tensor<6x5x6xf32>) outs(%{{.*}} : tensor<6x4x6xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[}}[0, 1], [2], [3]] output_shape [2, 3, 4, 6]
func.func @matmul_batch(%a: tensor<2x3x4x5xf32>, %b: tensor<2x3x5x6xf32>) -> tensor<2x3x4x6xf32> {
  %0 = kiln.matmul %a, %b : tensor<2x3x4x5xf32>, tensor<2x3x5x6xf32> -> tensor<2x3x4x6xf32>
  return %0 : tensor<2x3x4x6xf32>
}

// -----

// Broadcasting batch dims: one generic over (batch..., m, n, k).
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[$O:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @matmul_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<7x1x3x4xf32>, %[[B:.*]]: tensor<2x4x5xf32>)
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$O]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[A]], %[[B]] : tensor<7x1x3x4xf32>, tensor<2x4x5xf32>) outs(%[[F]] : tensor<7x2x3x5xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK: %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK: linalg.yield %[[S]]
// CHECK-NOT: linalg.batch_matmul
func.func @matmul_broadcast(%a: tensor<7x1x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<7x2x3x5xf32> {
  %0 = kiln.matmul %a, %b : tensor<7x1x3x4xf32>, tensor<2x4x5xf32> -> tensor<7x2x3x5xf32>
  return %0 : tensor<7x2x3x5xf32>
}

// -----

// Plain gemm (alpha 1, no C, no transposes) is one linalg.matmul; beta = 0
// drops C.
// CHECK-LABEL: func @gemm_plain
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3x4xf32>, %[[C:.*]]: tensor<4xf32>)
// CHECK: %[[M0:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[M1:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[M0]], %[[M1]]
func.func @gemm_plain(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %0 = kiln.gemm %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = kiln.gemm %a, %b, %c {beta = 0.0 : f64} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0, %1 : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// trans_b: a generic contraction reading B as [n, k]; then alpha * acc +
// beta * C with C broadcast along the rows.
// CHECK-DAG: #[[$MK:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$NK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @gemm_trans_b
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<4x3xf32>, %[[C:.*]]: tensor<4xf32>)
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$MK]], #[[$NK]], #[[$MN]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<4x3xf32>) outs(%[[F]] : tensor<2x4xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACC]], %[[C]] : tensor<2x4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[AX:.*]] = arith.mulf %[[X]], %[[ALPHA]] : f32
// CHECK: %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[BY:.*]] = arith.mulf %[[Y]], %[[BETA]] : f32
// CHECK: %[[S:.*]] = arith.addf %[[AX]], %[[BY]] : f32
// CHECK: linalg.yield %[[S]]
func.func @gemm_trans_b(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = kiln.gemm %a, %b, %c {alpha = 0.5 : f64, beta = 2.0 : f64, trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// trans_a reads A as [k, m]; C with beta 1 is added without a multiply.
// CHECK-DAG: #[[$KM:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[$KN:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @gemm_trans_a
// CHECK: linalg.generic {indexing_maps = [#[[$KM]], #[[$KN]], #[[$MN]]]
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[S]]
func.func @gemm_trans_a(%a: tensor<3x2xf32>, %b: tensor<3x4xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = kiln.gemm %a, %b, %c {trans_a = true} : (tensor<3x2xf32>, tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// group 1: explicit pads become a zero tensor.pad, then the named conv;
// the bias is added per channel (dim 1).
// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func @conv_2d
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 0, 1]
// CHECK: tensor.yield %[[Z]] : f32
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x9x11xf32>
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %[[W]] : tensor<1x3x9x11xf32>, tensor<4x3x3x3xf32>) outs(%[[F]] : tensor<1x4x4x5xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID4]], #[[$CH]], #[[$ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[C]], %[[B]] : tensor<1x4x4x5xf32>, tensor<4xf32>)
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @conv_2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x5xf32> {
  %0 = kiln.conv %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 2, 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x5xf32>
  return %0 : tensor<1x4x4x5xf32>
}

// -----

// No pads, no bias: the named conv alone, with the dilations.
// CHECK-LABEL: func @conv_2d_no_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[W]] : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>)
// CHECK-NEXT: return %[[C]]
func.func @conv_2d_no_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// group = C = F: depthwise, the filter collapses to [C, KH, KW].
// CHECK-LABEL: func @conv_depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<3x1x3x3xf32>)
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[CW:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2], [3]] : tensor<3x1x3x3xf32> into tensor<3x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[P]], %[[CW]] : tensor<1x3x10x10xf32>, tensor<3x3x3xf32>) outs(%{{.*}} : tensor<1x3x8x8xf32>)
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @conv_depthwise(%x: tensor<1x3x8x8xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x3x8x8xf32> {
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 3 : i64} : (tensor<1x3x8x8xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

// Other group counts: a generic over (n, g, f/g, oh, ow, c/g, kh, kw) on
// [N, G, C/G, H, W] input and [G, F/G, C/G, KH, KW] filter views.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-DAG: #[[$FI:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func @conv_grouped
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>)
// CHECK-DAG: %[[INIT:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 3, 3, 3] : tensor<1x6x3x3xf32> into tensor<1x2x3x3x3xf32>
// CHECK-DAG: %[[XV:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 8, 8] : tensor<1x4x8x8xf32> into tensor<1x2x2x8x8xf32>
// CHECK-DAG: %[[WV:.*]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3] : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$FI]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[XV]], %[[WV]] : tensor<1x2x2x8x8xf32>, tensor<2x3x2x3x3xf32>) outs(%[[INIT]] : tensor<1x2x3x3x3xf32>)
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x3x3xf32> into tensor<1x6x3x3xf32>
func.func @conv_grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %0 = kiln.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// -----

// 1-D conv: the generic path with stride 2, dilation 2 and a begin pad.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 * 2 + d5 * 2)>
// CHECK-DAG: #[[$FI:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @conv_1d
// CHECK: tensor.pad %{{.*}} low[0, 0, 1] high[0, 0, 0]
// CHECK: linalg.generic {indexing_maps = [#[[$IN]], #[[$FI]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x1x3x11xf32>, tensor<1x5x3x3xf32>) outs(%{{.*}} : tensor<1x1x5x4xf32>)
// CHECK: tensor.collapse_shape %{{.*}} : tensor<1x1x5x4xf32> into tensor<1x5x4xf32>
func.func @conv_1d(%x: tensor<1x3x10xf32>, %w: tensor<5x3x3xf32>) -> tensor<1x5x4xf32> {
  %0 = kiln.conv %x, %w {strides = array<i64: 2>, dilations = array<i64: 2>, pads = array<i64: 1, 0>} : (tensor<1x3x10xf32>, tensor<5x3x3xf32>) -> tensor<1x5x4xf32>
  return %0 : tensor<1x5x4xf32>
}

// -----

// (x - mean) * (rsqrt(var + eps) * scale) + bias, parameters along dim 1.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[S:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %[[S]], %[[B]], %[[M]], %[[V]] :
// CHECK: ^bb0(%[[IX:.*]]: f32, %[[IS:.*]]: f32, %[[IB:.*]]: f32, %[[IM:.*]]: f32, %[[IV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK: %[[VE:.*]] = arith.addf %[[IV]], %[[EPS]] : f32
// CHECK: %[[INV:.*]] = math.rsqrt %[[VE]] : f32
// CHECK: %[[K:.*]] = arith.mulf %[[INV]], %[[IS]] : f32
// CHECK: %[[C:.*]] = arith.subf %[[IX]], %[[IM]] : f32
// CHECK: %[[Y:.*]] = arith.mulf %[[C]], %[[K]] : f32
// CHECK: %[[R:.*]] = arith.addf %[[Y]], %[[IB]] : f32
// CHECK: linalg.yield %[[R]]
func.func @batch_norm(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f64} : tensor<2x3x4xf32>, tensor<3xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// ceil_mode adds an end pad of -inf so the last window fits; the window
// operand is shape-only.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @max_pool_ceil
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x7x7xf32>)
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NINF]] : f32
// CHECK: %[[W:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$IN]], #[[$WIN]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[P]], %[[W]] : tensor<1x2x8x8xf32>, tensor<2x2xf32>) outs(%[[F]] : tensor<1x2x4x4xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32, %[[ACC:.*]]: f32):
// CHECK: %[[M:.*]] = arith.maximumf %[[ACC]], %[[IN]] : f32
// CHECK: linalg.yield %[[M]]
func.func @max_pool_ceil(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32> {
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : tensor<1x2x7x7xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Average pooling, input 4, kernel 3, stride 2, pads 1/1. Without
// count_include_pad the windows [-1, 1] and [1, 3] count 2 and 3 inputs.
// With count_include_pad and ceil_mode there are three windows: [-1, 1],
// [1, 3] and [3, 5]; the explicit pads count, position 5 (beyond the end
// pad) does not: 3, 3, 2.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$SP:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @avg_pool
// CHECK: tensor.pad %{{.*}} low[0, 0, 1] high[0, 0, 0]
// CHECK: %[[S0:.*]] = linalg.generic
// CHECK: arith.addf
// CHECK: %[[C0:.*]] = arith.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: %[[R0:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$SP]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[S0]], %[[C0]] : tensor<1x1x2xf32>, tensor<2xf32>)
// CHECK: arith.divf
// CHECK: tensor.pad %{{.*}} low[0, 0, 1] high[0, 0, 2]
// CHECK: %[[S1:.*]] = linalg.generic
// CHECK: %[[C1:.*]] = arith.constant dense<[3.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK: %[[R1:.*]] = linalg.generic {{.*}} ins(%[[S1]], %[[C1]] : tensor<1x1x3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[SUM:.*]]: f32, %[[CNT:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[D:.*]] = arith.divf %[[SUM]], %[[CNT]] : f32
// CHECK: return %[[R0]], %[[R1]]
func.func @avg_pool(%x: tensor<1x1x4xf32>) -> (tensor<1x1x2xf32>, tensor<1x1x3xf32>) {
  %0 = kiln.avg_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 1, 1>} : tensor<1x1x4xf32> -> tensor<1x1x2xf32>
  %1 = kiln.avg_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 1, 1>, count_include_pad = true, ceil_mode = true} : tensor<1x1x4xf32> -> tensor<1x1x3xf32>
  return %0, %1 : tensor<1x1x2xf32>, tensor<1x1x3xf32>
}

// -----

// 2-D divisors are the outer product of the per-dim counts. Rows (kernel 2,
// stride 2, begin pad 1): window [-1, 0] counts 1 input, [1, 2] counts 2;
// columns (kernel 1): 1 each.
// CHECK-LABEL: func @avg_pool_2d
// CHECK: arith.constant dense<{{\[}}[1.000000e+00, 1.000000e+00, 1.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00]]> : tensor<2x3xf32>
func.func @avg_pool_2d(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x2x3xf32> {
  %0 = kiln.avg_pool %x {kernel_shape = array<i64: 2, 1>, strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 0, 0, 0>} : tensor<1x1x3x3xf32> -> tensor<1x1x2x3xf32>
  return %0 : tensor<1x1x2x3xf32>
}

// -----

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$KEEP02:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$KEEP0:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[$NONE:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func @reductions
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[I:.*]]: tensor<2x3xi32>)
// reduce_sum over axis 1 with keepdims: reduce to 2x4, expand to 2x1x4.
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$KEEP02]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[F]] : tensor<2x4xf32>)
// CHECK: arith.addf
// CHECK: %[[KEPT:.*]] = tensor.expand_shape %[[SUM]] {{\[}}[0], [1, 2]] output_shape [2, 1, 4] : tensor<2x4xf32> into tensor<2x1x4xf32>
// reduce_mean over 1, 2 without keepdims divides by 12.
// CHECK: %[[S2:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$KEEP0]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: %[[MEAN:.*]] = linalg.generic
// CHECK: %[[N:.*]] = arith.constant 1.200000e+01 : f32
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
// reduce_max on i32 starts from INT_MIN.
// CHECK: %[[IMIN:.*]] = arith.constant -2147483648 : i32
// CHECK: linalg.fill ins(%[[IMIN]] : i32)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[I]] : tensor<2x3xi32>)
// CHECK: arith.maxsi
// reduce_min over everything (empty axes) starts from +inf, to a 0-d tensor.
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: linalg.fill ins(%[[INF]] : f32) outs(%{{.*}} : tensor<f32>)
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$NONE]]], iterator_types = ["reduction", "reduction", "reduction"]}
// CHECK: arith.minimumf
// reduce_prod with keepdims over all axes: 1-initialized, expanded to 1x1x1.
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ONE]] : f32) outs(%{{.*}} : tensor<f32>)
// CHECK: %[[PROD:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: tensor.expand_shape %[[PROD]] [] output_shape [1, 1, 1] : tensor<f32> into tensor<1x1x1xf32>
func.func @reductions(%x: tensor<2x3x4xf32>, %i: tensor<2x3xi32>) -> (tensor<2x1x4xf32>, tensor<2xf32>, tensor<3xi32>, tensor<f32>, tensor<1x1x1xf32>) {
  %0 = kiln.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %1 = kiln.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2xf32>
  %2 = kiln.reduce_max %i {axes = array<i64: 0>, keepdims = false} : tensor<2x3xi32> -> tensor<3xi32>
  %3 = kiln.reduce_min %x {axes = array<i64>, keepdims = false} : tensor<2x3x4xf32> -> tensor<f32>
  %4 = kiln.reduce_prod %x {axes = array<i64>} : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  return %0, %1, %2, %3, %4 : tensor<2x1x4xf32>, tensor<2xf32>, tensor<3xi32>, tensor<f32>, tensor<1x1x1xf32>
}

// -----

// softmax: max-reduce, subtract, exp, sum-reduce, divide.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x5xf32>)
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MX:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x5xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SH:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MX]] : tensor<2x5xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: %[[E:.*]] = linalg.generic {{.*}} ins(%[[SH]] : tensor<2x5xf32>)
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[E]] : tensor<2x5xf32>)
// CHECK: arith.addf
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[E]], %[[SUM]] : tensor<2x5xf32>, tensor<2xf32>)
// CHECK: ^bb0(%[[EV:.*]]: f32, %[[SV:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.divf %[[EV]], %[[SV]] : f32
// CHECK: return %[[R]]
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = kiln.softmax %x {axis = 1 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// log-softmax over axis 0: (x - max) - log(sum(exp(x - max))).
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @log_softmax
// CHECK: %[[MX:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]]], iterator_types = ["reduction", "parallel"]}
// CHECK: %[[SH:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[MX]] : tensor<2x5xf32>, tensor<5xf32>)
// CHECK: %[[E:.*]] = linalg.generic
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[E]] : tensor<2x5xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[SH]], %[[SUM]] : tensor<2x5xf32>, tensor<5xf32>)
// CHECK: ^bb0(%[[SV:.*]]: f32, %[[TV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[L:.*]] = math.log %[[TV]] : f32
// CHECK: %[[D:.*]] = arith.subf %[[SV]], %[[L]] : f32
// CHECK: linalg.yield %[[D]]
// CHECK-NOT: arith.divf
// CHECK: return %[[R]]
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = kiln.softmax %x {axis = 0 : i64, log = true} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// layer_norm over [1, 3): mean and variance divide by 3 * 4 = 12; scale and
// bias broadcast over the trailing dims.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[$TAIL:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[S:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[X]] : tensor<2x3x4xf32>)
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK: arith.constant 1.200000e+01 : f32
// CHECK: arith.divf
// CHECK: %[[CEN:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], {{.*}} ins(%[[X]], %[[MEAN]] : tensor<2x3x4xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}} ins(%[[CEN]] : tensor<2x3x4xf32>)
// CHECK: arith.mulf
// CHECK: %[[VS:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<2x3x4xf32>)
// CHECK: %[[VAR:.*]] = linalg.generic {{.*}} ins(%[[VS]] : tensor<2xf32>)
// CHECK: arith.constant 1.200000e+01 : f32
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[VAR]] : tensor<2xf32>)
// CHECK: arith.constant 9.99999974E-6 : f32
// CHECK: arith.addf
// CHECK: math.rsqrt
// CHECK: %[[NORM:.*]] = linalg.generic {{.*}} ins(%[[CEN]], %[[INV]] : tensor<2x3x4xf32>, tensor<2xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$TAIL]], #[[$LAST]], #[[$ID]]], {{.*}} ins(%[[NORM]], %[[S]], %[[B]] : tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[N:.*]]: f32, %[[SV:.*]]: f32, %[[BV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[M:.*]] = arith.mulf %[[N]], %[[SV]] : f32
// CHECK: %[[A:.*]] = arith.addf %[[M]], %[[BV]] : f32
// CHECK: linalg.yield %[[A]]
// CHECK: return %[[R]]
func.func @layer_norm(%x: tensor<2x3x4xf32>, %s: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.layer_norm %x, %s, %b {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Without a bias the last step only scales.
// CHECK-LABEL: func @layer_norm_no_bias
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[N:.*]]: f32, %[[SV:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[N]], %[[SV]] : f32
// CHECK-NEXT: linalg.yield %[[M]]
func.func @layer_norm_no_bias(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = kiln.layer_norm %x, %s {axis = 1 : i64} : tensor<2x4xf32>, tensor<4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[Y:.*]]: tensor<6xf32>)
// CHECK: %[[A:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[B:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// No common reassociation: through 1-D.
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[C:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK: %[[D:.*]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1, 2]] output_shape [1, 2, 3] : tensor<6xf32> into tensor<1x2x3xf32>
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @reshape(%x: tensor<2x3x4xf32>, %y: tensor<6xf32>) -> (tensor<6x4xf32>, tensor<2x12xf32>, tensor<4x6xf32>, tensor<1x2x3xf32>) {
  %0 = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %2 = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %3 = kiln.reshape %y : tensor<6xf32> -> tensor<1x2x3xf32>
  return %0, %1, %2, %3 : tensor<6x4xf32>, tensor<2x12xf32>, tensor<4x6xf32>, tensor<1x2x3xf32>
}

// -----

// CHECK-LABEL: func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: return %[[T]]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = kiln.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// Inputs are inserted at increasing offsets along the axis; empty inputs are
// skipped.
// CHECK-LABEL: func @concat
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[Y:.*]]: tensor<2x5x4xf32>, %[[Z:.*]]: tensor<2x0x4xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x11x4xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[X]] into %[[E]][0, 0, 0] [2, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> into tensor<2x11x4xf32>
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[Y]] into %[[I0]][0, 3, 0] [2, 5, 4] [1, 1, 1] : tensor<2x5x4xf32> into tensor<2x11x4xf32>
// CHECK-NOT: tensor.insert_slice %[[Z]]
// CHECK: %[[I2:.*]] = tensor.insert_slice %[[X]] into %[[I1]][0, 8, 0] [2, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> into tensor<2x11x4xf32>
// CHECK: return %[[I2]]
func.func @concat(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %z: tensor<2x0x4xf32>) -> tensor<2x11x4xf32> {
  %0 = kiln.concat %x, %y, %z, %x {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x0x4xf32>, tensor<2x3x4xf32>) -> tensor<2x11x4xf32>
  return %0 : tensor<2x11x4xf32>
}

// -----

// Positive steps: a strided extract_slice. A negative step anywhere: a
// generic reading start + i * step.
// CHECK-DAG: #[[$REV:.*]] = affine_map<(d0, d1) -> (-d0 + 3, d1 * -2 + 5)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @slice
// CHECK-SAME: (%[[X:.*]]: tensor<4x6xf32>)
// CHECK: %[[S:.*]] = tensor.extract_slice %[[X]][1, 0] [2, 3] [1, 2] : tensor<4x6xf32> to tensor<2x3xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$REV]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<4x6xf32>) outs(%[[E]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK: return %[[S]], %[[R]]
func.func @slice(%x: tensor<4x6xf32>) -> (tensor<2x3xf32>, tensor<4x3xf32>) {
  %0 = kiln.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 3, 6>, steps = array<i64: 1, 2>} : tensor<4x6xf32> -> tensor<2x3xf32>
  %1 = kiln.slice %x {starts = array<i64: 3, 5>, ends = array<i64: -1, -1>, steps = array<i64: -1, -2>} : tensor<4x6xf32> -> tensor<4x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<4x3xf32>
}

// -----

// Gather along axis 1 with 2-D indices: the indices map to loops 1 and 2,
// negative indices wrap by the axis size (4).
// CHECK-DAG: #[[$IDX:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @gather
// CHECK-SAME: (%[[X:.*]]: tensor<3x4x5xf32>, %[[I:.*]]: tensor<2x2xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[$IDX]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[I]] : tensor<2x2xi32>) outs(%{{.*}} : tensor<3x2x2x5xf32>)
// CHECK: ^bb0(%[[IN:.*]]: i32, %{{.*}}: f32):
// CHECK: %[[IX:.*]] = arith.index_cast %[[IN]] : i32 to index
// CHECK: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[IX]], %[[ZERO]] : index
// CHECK: %[[DIM:.*]] = arith.constant 4 : index
// CHECK: %[[WRAP:.*]] = arith.addi %[[IX]], %[[DIM]] : index
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[IX]] : index
// CHECK: %[[D0:.*]] = linalg.index 0 : index
// CHECK: %[[D3:.*]] = linalg.index 3 : index
// CHECK: %[[V:.*]] = tensor.extract %[[X]][%[[D0]], %[[SEL]], %[[D3]]] : tensor<3x4x5xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @gather(%x: tensor<3x4x5xf32>, %i: tensor<2x2xi32>) -> tensor<3x2x2x5xf32> {
  %0 = kiln.gather %x, %i {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2x2xi32>) -> tensor<3x2x2x5xf32>
  return %0 : tensor<3x2x2x5xf32>
}

// -----

// CHECK-LABEL: func @pad_constant
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<3xi32>)
// CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 1] high[1, 2]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<2x3xf32> to tensor<3x6xf32>
// CHECK: %[[IV:.*]] = arith.constant -2 : i32
// CHECK: %[[PI:.*]] = tensor.pad %[[I]] low[1] high[1]
// CHECK: tensor.yield %[[IV]] : i32
// CHECK: return %[[P]], %[[PI]]
func.func @pad_constant(%x: tensor<2x3xf32>, %i: tensor<3xi32>) -> (tensor<3x6xf32>, tensor<5xi32>) {
  %0 = kiln.pad %x {pads = array<i64: 0, 1, 1, 2>, value = 1.5 : f64} : tensor<2x3xf32> -> tensor<3x6xf32>
  %1 = kiln.pad %i {pads = array<i64: 1, 1>, value = -2.0 : f64} : tensor<3xi32> -> tensor<5xi32>
  return %0, %1 : tensor<3x6xf32>, tensor<5xi32>
}

// -----

// edge: index clamp(i - pad, 0, n - 1) per dim.
// CHECK-LABEL: func @pad_edge
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x7xf32>)
// CHECK: %[[P0:.*]] = arith.constant 1 : index
// CHECK: %[[I0:.*]] = linalg.index 0 : index
// CHECK: %[[J0:.*]] = arith.subi %[[I0]], %[[P0]] : index
// CHECK: %[[Z0:.*]] = arith.constant 0 : index
// CHECK: %[[L0:.*]] = arith.maxsi %[[J0]], %[[Z0]] : index
// CHECK: %[[N0:.*]] = arith.constant 1 : index
// CHECK: %[[C0:.*]] = arith.minsi %[[L0]], %[[N0]] : index
// CHECK: %[[P1:.*]] = arith.constant 2 : index
// CHECK: %[[I1:.*]] = linalg.index 1 : index
// CHECK: %[[J1:.*]] = arith.subi %[[I1]], %[[P1]] : index
// CHECK: %[[Z1:.*]] = arith.constant 0 : index
// CHECK: %[[L1:.*]] = arith.maxsi %[[J1]], %[[Z1]] : index
// CHECK: %[[N1:.*]] = arith.constant 2 : index
// CHECK: %[[C1:.*]] = arith.minsi %[[L1]], %[[N1]] : index
// CHECK: %[[V:.*]] = tensor.extract %[[X]][%[[C0]], %[[C1]]] : tensor<2x3xf32>
// CHECK: linalg.yield %[[V]]
func.func @pad_edge(%x: tensor<2x3xf32>) -> tensor<4x7xf32> {
  %0 = kiln.pad %x {pads = array<i64: 1, 2, 1, 2>, mode = "edge"} : tensor<2x3xf32> -> tensor<4x7xf32>
  return %0 : tensor<4x7xf32>
}

// -----

// reflect: j = |i - pad|, then min(j, 2 * (n - 1) - j).
// CHECK-LABEL: func @pad_reflect
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<7xf32>)
// CHECK: %[[P:.*]] = arith.constant 2 : index
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = arith.subi %[[I]], %[[P]] : index
// CHECK: %[[Z:.*]] = arith.constant 0 : index
// CHECK: %[[NJ:.*]] = arith.subi %[[Z]], %[[J]] : index
// CHECK: %[[A:.*]] = arith.maxsi %[[J]], %[[NJ]] : index
// CHECK: %[[TWO:.*]] = arith.constant 4 : index
// CHECK: %[[M:.*]] = arith.subi %[[TWO]], %[[A]] : index
// CHECK: %[[K:.*]] = arith.minsi %[[A]], %[[M]] : index
// CHECK: %[[V:.*]] = tensor.extract %[[X]][%[[K]]] : tensor<3xf32>
// CHECK: linalg.yield %[[V]]
func.func @pad_reflect(%x: tensor<3xf32>) -> tensor<7xf32> {
  %0 = kiln.pad %x {pads = array<i64: 2, 2>, mode = "reflect"} : tensor<3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @expand
// CHECK-SAME: (%[[X:.*]]: tensor<3x1xi64>)
// CHECK: linalg.generic {indexing_maps = [#[[$IN]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<3x1xi64>) outs(%{{.*}} : tensor<2x3x4xi64>)
// CHECK: ^bb0(%[[IN:.*]]: i64, %{{.*}}: i64):
// CHECK-NEXT: linalg.yield %[[IN]] : i64
func.func @expand(%x: tensor<3x1xi64>) -> tensor<2x3x4xi64> {
  %0 = kiln.expand %x : tensor<3x1xi64> -> tensor<2x3x4xi64>
  return %0 : tensor<2x3x4xi64>
}
