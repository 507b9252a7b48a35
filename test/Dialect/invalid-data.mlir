// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @gather_elements_rank(%x: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error@+1 {{'kiln.gather_elements' op indices rank 1 differs from input rank 2}}
  %0 = kiln.gather_elements %x, %i {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gather_elements_axis(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>) -> tensor<2x4xf32> {
  // expected-error@+1 {{'kiln.gather_elements' op axis 2 out of range for rank 2}}
  %0 = kiln.gather_elements %x, %i {axis = 2 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @gather_nd_too_deep(%x: tensor<3x4xf32>, %i: tensor<2x3xi64>) -> tensor<2xf32> {
  // expected-error@+2 {{batch_dims + indices.shape[-1] = 3 exceeds the input rank 2}}
  // expected-error@+1 {{'kiln.gather_nd' op failed to infer returned types}}
  %0 = kiln.gather_nd %x, %i : (tensor<3x4xf32>, tensor<2x3xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gather_nd_batch(%x: tensor<3x4xf32>, %i: tensor<2x1xi64>) -> tensor<2xf32> {
  // expected-error@+1 {{'kiln.gather_nd' op batch dim 0 differs}}
  %0 = kiln.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<3x4xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @resize_mode(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<1x4xf32> {
  // expected-error@+1 {{'kiln.resize' op unknown mode 'area'}}
  %0 = kiln.resize %x, %s {mode = "area"} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @resize_ctm(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<1x4xf32> {
  // expected-error@+1 {{'kiln.resize' op unknown coordinate_transformation_mode 'half_pixel_symmetric'}}
  %0 = kiln.resize %x, %s {coordinate_transformation_mode = "half_pixel_symmetric"} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @resize_nearest_mode(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<1x4xf32> {
  // expected-error@+1 {{'kiln.resize' op unknown nearest_mode 'up'}}
  %0 = kiln.resize %x, %s {nearest_mode = "up"} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @resize_scales(%x: tensor<1x2xf32>, %s: tensor<3xf32>) -> tensor<1x4xf32> {
  // expected-error@+1 {{'kiln.resize' op scales must be a 1-D tensor of 2 elements}}
  %0 = kiln.resize %x, %s : (tensor<1x2xf32>, tensor<3xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @resize_roi(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<1x4xf32> {
  // expected-error@+1 {{'kiln.resize' op roi is required by, and only by, tf_crop_and_resize}}
  %0 = kiln.resize %x, %s {coordinate_transformation_mode = "tf_crop_and_resize"} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @resize_rank(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'kiln.resize' op result 'tensor<4xf32>' must have the rank and element type of the input 'tensor<1x2xf32>'}}
  %0 = kiln.resize %x, %s : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dynamic_slice_lengths(%x: tensor<4xf32>, %s: tensor<1xi64>, %a: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error@+1 {{'kiln.dynamic_slice' op starts, axes and steps must be 1-D of one length}}
  %0 = kiln.dynamic_slice %x, %s, %a, %s : (tensor<4xf32>, tensor<1xi64>, tensor<2xi64>, tensor<1xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_pad_pads(%x: tensor<4xf32>, %p: tensor<3xi64>) -> tensor<6xf32> {
  // expected-error@+1 {{'kiln.dynamic_pad' op pads must be a 1-D tensor of 2 elements}}
  %0 = kiln.dynamic_pad %x, %p : (tensor<4xf32>, tensor<3xi64>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @dynamic_pad_mode(%x: tensor<4xf32>, %p: tensor<2xi64>) -> tensor<6xf32> {
  // expected-error@+1 {{'kiln.dynamic_pad' op unknown mode 'wrap'}}
  %0 = kiln.dynamic_pad %x, %p {mode = "wrap"} : (tensor<4xf32>, tensor<2xi64>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @dynamic_pad_value(%x: tensor<4xf32>, %p: tensor<2xi64>, %v: tensor<1xf32>) -> tensor<6xf32> {
  // expected-error@+1 {{'kiln.dynamic_pad' op value must be a rank-0 tensor of the input's element type}}
  %0 = kiln.dynamic_pad %x, %p, %v : (tensor<4xf32>, tensor<2xi64>, tensor<1xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}
