// RUN: dsc-opt %s --dsc-quantize="profile=%S/Inputs/quantize-profile.json" -verify-diagnostics

// A tensor the profile does not describe: the error names it and says how
// to make the profile.
func.func @unprofiled(%x: tensor<1x1x2x2xf32> {dsc.name = "other"}) -> tensor<1x1x2x2xf32> {
  %w = dsc.constant dense<1.0> : tensor<1x1x1x1xf32>
  // expected-error @below {{dsc-quantize: the tensor 'other' this layer reads or writes is not in the profile}}
  %c = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}
