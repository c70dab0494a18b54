// RUN: dsc-opt %s --dsc-split-batch -split-input-file -verify-diagnostics | FileCheck %s

// A run-time batch (bound 8) through conv, relu, global pool, flatten and a
// gemm whose rows are the samples: the one-sample program, the batched
// input and output marked with the bound, the module with dsc.per_sample.
// CHECK: module attributes {dsc.per_sample = 8 : i64}
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.+}}: tensor<1x1x4x4xf32> {dsc.batch_bound = 8 : i64, dsc.name = "x"}, %{{.+}}: tensor<2xf32> {dsc.name = "bias"})
// CHECK-SAME: -> (tensor<1x2xf32> {dsc.batch_bound = 8 : i64, dsc.name = "y"})
// CHECK: dsc.conv {{.*}}dsc.batched{{.*}} -> tensor<1x2x4x4xf32>
// CHECK: dsc.flatten {{.*}} : (tensor<1x2x1x1xf32>) -> tensor<1x2xf32>
// CHECK: dsc.gemm {{.*}} -> tensor<1x2xf32>
// CHECK: dsc.add {{.*}} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
module {
  func.func @main(%x: tensor<?x1x4x4xf32> {dsc.dim_bounds = array<i64: 8, 1, 4, 4>, dsc.name = "x"}, %bias: tensor<2xf32> {dsc.name = "bias"}) -> (tensor<?x2xf32> {dsc.name = "y"}) {
    %w = dsc.constant dense<1.0> : tensor<2x1x1x1xf32>
    %fc = dsc.constant dense<1.0> : tensor<2x2xf32>
    %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<?x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<?x2x4x4xf32>
    %1 = dsc.relu %0 : (tensor<?x2x4x4xf32>) -> tensor<?x2x4x4xf32>
    %2 = dsc.global_average_pool %1 : (tensor<?x2x4x4xf32>) -> tensor<?x2x1x1xf32>
    %3 = dsc.flatten %2 : (tensor<?x2x1x1xf32>) -> tensor<?x2xf32>
    %4 = dsc.gemm %3, %fc {trans_b = 1 : i64} : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
    %5 = dsc.add %4, %bias : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
    return %5 : tensor<?x2xf32>
  }
}

// -----

// A reduction over axis 0 mixes the samples.
module {
  func.func @main(%x: tensor<?x3xf32> {dsc.dim_bounds = array<i64: 4, 3>, dsc.name = "x"}) -> tensor<1x3xf32> {
    %axes = dsc.constant dense<[0]> : tensor<1xi64>
    // expected-error @+1 {{node 'dsc.reduce_mean' (dsc.reduce_mean) does not compute each sample of the run-time batch on its own: it reduces over the batch; pin the batch with --input-shape (e.g. batch 4)}}
    %0 = dsc.reduce_mean %x, %axes : (tensor<?x3xf32>, tensor<1xi64>) -> tensor<1x3xf32>
    return %0 : tensor<1x3xf32>
  }
}

// -----

// A transpose that moves axis 0 away (and so an output with a run-time
// dim on axis 1).
module {
  // expected-error @+1 {{output #0 has a run-time dim on axis 1; only the batch axis (axis 0) can be one}}
  func.func @main(%x: tensor<?x3xf32> {dsc.name = "x"}) -> tensor<3x?xf32> {
    // expected-error @+1 {{node 'dsc.transpose' (dsc.transpose) does not compute each sample of the run-time batch on its own: it moves the batch axis}}
    %0 = dsc.transpose %x {perm = array<i64: 1, 0>} : (tensor<?x3xf32>) -> tensor<3x?xf32>
    return %0 : tensor<3x?xf32>
  }
}

// -----

// An unbatched tensor broadcast along the batch with dim 0 > 1.
module {
  func.func @main(%x: tensor<?x3xf32> {dsc.name = "x"}) -> tensor<?x3xf32> {
    %c = dsc.constant dense<1.0> : tensor<2x3xf32>
    // expected-error @+1 {{node 'dsc.add' (dsc.add) does not compute each sample of the run-time batch on its own: it broadcasts along the batch axis}}
    %0 = dsc.add %x, %c : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
    return %0 : tensor<?x3xf32>
  }
}

// -----

// A run-time dim on another axis is not a batch.
module {
  // expected-error @+1 {{input 'tokens': axis 1 is a run-time dim; only a batch axis (axis 0) can be one. Pin it with --input-shape tokens=d0,d1,...}}
  func.func @main(%x: tensor<1x?xf32> {dsc.name = "tokens"}) -> tensor<1x?xf32> {
    %0 = dsc.relu %x : (tensor<1x?xf32>) -> tensor<1x?xf32>
    return %0 : tensor<1x?xf32>
  }
}

// -----

// Without run-time dims nothing changes.
// CHECK-LABEL: func.func @main(%{{.+}}: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NOT: dsc.batched
module {
  func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %0 = dsc.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }
}
