// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Diagnostics of the data-type ops.

func.func @compare_element_types(%a: tensor<2xf32>, %b: tensor<2xui8>) -> tensor<2xi1> {
  // expected-error@+2 {{operand element types differ: 'f32' vs 'ui8'}}
  // expected-error@+1 {{'kiln.equal' op failed to infer returned types}}
  %0 = kiln.equal %a, %b : tensor<2xf32>, tensor<2xui8> -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @compare_result_not_bool(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{result #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = kiln.less %a, %a : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @compare_no_broadcast(%a: tensor<2x3xi32>, %b: tensor<2xi32>) -> tensor<2x3xi1> {
  // expected-error@+2 {{shapes [2,3] and [2] do not broadcast}}
  // expected-error@+1 {{'kiln.greater' op failed to infer returned types}}
  %0 = kiln.greater %a, %b : tensor<2x3xi32>, tensor<2xi32> -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

func.func @and_not_bool(%a: tensor<2xi8>) -> tensor<2xi8> {
  // expected-error@+1 {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = kiln.and %a, %a : tensor<2xi8>, tensor<2xi8> -> tensor<2xi8>
  return %0 : tensor<2xi8>
}

// -----

func.func @not_float(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = kiln.not %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @abs_bool(%a: tensor<2xi1>) -> tensor<2xi1> {
  // expected-error@+1 {{operand #0 must be ranked tensor of}}
  %0 = kiln.abs %a : tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @exp_integer(%a: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error@+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = kiln.exp %a : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @is_nan_integer(%a: tensor<2xi32>) -> tensor<2xi1> {
  // expected-error@+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = kiln.is_nan %a : tensor<2xi32> -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @is_inf_shape(%a: tensor<2xf32>) -> tensor<3xi1> {
  // expected-error@+1 {{'kiln.is_inf' op all non-scalar operands/results must have the same shape and base type}}
  %0 = kiln.is_inf %a : tensor<2xf32> -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @bitshift_direction(%a: tensor<2xui8>) -> tensor<2xui8> {
  // expected-error@+1 {{direction must be "left" or "right", got "up"}}
  %0 = kiln.bitshift %a, %a {direction = "up"} : tensor<2xui8>, tensor<2xui8> -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

func.func @bitshift_signed(%a: tensor<2xi8>) -> tensor<2xi8> {
  // expected-error@+1 {{operand #0 must be ranked tensor of 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer values}}
  %0 = kiln.bitshift %a, %a {direction = "left"} : tensor<2xi8>, tensor<2xi8> -> tensor<2xi8>
  return %0 : tensor<2xi8>
}

// -----

func.func @mod_float_without_fmod(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{fmod must be set for floating-point operands}}
  %0 = kiln.mod %a, %a : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @range_not_scalar(%a: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{start and delta must be scalars (rank 0), got rank 1}}
  %0 = kiln.range %a, %a : tensor<1xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @range_rank(%a: tensor<f32>) -> tensor<2x2xf32> {
  // expected-error@+1 {{result must be 1-D, got rank 2}}
  %0 = kiln.range %a, %a : tensor<f32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @range_element_type(%a: tensor<f32>) -> tensor<4xf64> {
  // expected-error@+1 {{result element type 'f64' differs from the operands' 'f32'}}
  %0 = kiln.range %a, %a : tensor<f32> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}
