// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @yield_types(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.fusion' op yields 1 values of types 'tensor<4xf32>' but has results of types 'tensor<2xf32>'}}
  %0 = kiln.fusion "k" anchor "elementwise" -> tensor<2xf32> {
    %r = kiln.relu %x : tensor<4xf32>
    kiln.yield %r : tensor<4xf32>
  }
  return %x : tensor<4xf32>
}

// -----

func.func @empty(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.fusion' op kernel 'k' holds no op}}
  %0 = kiln.fusion "k" anchor "elementwise" -> tensor<4xf32> {
    kiln.yield %x : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @no_yield(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'kiln.fusion' op body must end with kiln.yield}}
  %0 = "kiln.fusion"() ({
    %r = kiln.relu %x : tensor<4xf32>
  }) {name = "k", anchor = "elementwise"} : () -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @yield_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.yield' op expects parent op 'kiln.fusion'}}
  kiln.yield %x : tensor<4xf32>
}
