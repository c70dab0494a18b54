// RUN: not dsc-opt %s --convert-dsc-to-linalg 2>&1 | FileCheck %s

// Run-time dims from one unpinned input reach every op after it: one
// error, at the first op, names the fix; the ops after it do not repeat it.
// CHECK: error: the lowering does not support this dsc.relu yet: run-time (dynamic) dims; pin them with --input-shape at import
// CHECK-NOT: error:
func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = dsc.relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = dsc.sigmoid %0 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %2 = dsc.tanh %1 : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %2 : tensor<?x4xf32>
}
