// RUN: dsc-opt %s --dsc-fold-distillation 2>&1 | FileCheck %s --check-prefix=DEFAULT
// RUN: dsc-opt %s --dsc-fold-distillation="outputs=student_soft" 2>&1 | FileCheck %s --check-prefix=SOFT
// RUN: not dsc-opt %s --dsc-fold-distillation="outputs=nope" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: rm -f %t.teacher.mlir
// RUN: dsc-opt %s --dsc-fold-distillation="outputs=student_soft keep-teacher-as=%t.teacher.mlir" -o /dev/null
// RUN: FileCheck %s --check-prefix=TEACHER < %t.teacher.mlir
// RUN: dsc-opt %s --dsc-fold-distillation="outputs=student_logits" -o %t.student.mlir
// RUN: not dsc-opt %t.student.mlir --dsc-fold-distillation="keep-teacher-as=%t.none.mlir" 2>&1 | FileCheck %s --check-prefix=NO-TEACHER

// A distillation graph: a teacher (two gemms, 12 weights) and a student (one
// gemm, 8 weights) on the same input, softened outputs at T = 2 and a loss
// that reads both (cross-entropy of the student against labels plus a term
// with the teacher's softened output).

// By default the loss output and the teacher (the larger network feeding
// the loss) go, and so does the labels input.
// DEFAULT: remark: distillation folding kept outputs (not computed through a loss head, not from the teacher (the largest network feeding the loss)); removed outputs [teacher_logits, loss], inputs [labels]
// DEFAULT: module {
// DEFAULT-NEXT: func.func @main(
// DEFAULT-SAME: %arg0: tensor<1x4xf32> {dsc.name = "x"}) -> (tensor<1x2xf32> {dsc.name = "student_logits"}, tensor<1x2xf32> {dsc.name = "student_soft"})
// DEFAULT-NOT: dsc.softmax_cross_entropy_loss
// DEFAULT: %[[LOGITS:.+]] = dsc.gemm %arg0
// DEFAULT: %[[DIV:.+]] = dsc.div %[[LOGITS]]
// DEFAULT: %[[PROBS:.+]] = dsc.softmax %[[DIV]]
// DEFAULT: return %[[LOGITS]], %[[PROBS]]

// With only the softened output kept, 1/T folds into the student's gemm:
// W / 2 and b / 2.
// SOFT: remark: distillation folding kept outputs (named by outputs=); removed outputs [teacher_logits, student_logits, loss], inputs [labels], {{[0-9]+}} ops; folded 1 temperature scaling(s)
// SOFT: module {
// SOFT-NEXT: func.func @main(
// SOFT-SAME: -> (tensor<1x2xf32> {dsc.name = "student_soft"})
// SOFT-DAG: %[[W:.+]] = dsc.constant dense<{{\[\[}}5.000000e-01, 1.000000e+00, 1.500000e+00, 2.000000e+00], [-5.000000e-01, 0.000000e+00, 5.000000e-01, 1.000000e+00]]> : tensor<2x4xf32>
// SOFT-DAG: %[[B:.+]] = dsc.constant dense<[2.500000e-01, -2.500000e-01]> : tensor<2xf32>
// SOFT: %[[G:.+]] = dsc.gemm %arg0, %[[W]], %[[B]] {trans_b = 1 : i64}
// SOFT-NOT: dsc.div
// SOFT: %[[S:.+]] = dsc.softmax %[[G]]
// SOFT: return %[[S]]

// UNKNOWN: error: --dsc-fold-distillation: the model has no output 'nope'

// keep-teacher-as= writes the teacher alone: its two gemms and the relu,
// the input x, not the labels, the student or the loss.
// TEACHER: func.func @main(%arg0: tensor<1x4xf32> {dsc.name = "x"}) -> (tensor<1x2xf32> {dsc.name = "teacher_logits"})
// TEACHER-DAG: %[[W1:.+]] = dsc.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00]]>
// TEACHER-DAG: %[[W2:.+]] = dsc.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]>
// TEACHER: %[[H:.+]] = dsc.gemm %arg0, %[[W1]]
// TEACHER: %[[R:.+]] = dsc.relu %[[H]]
// TEACHER: %[[T:.+]] = dsc.gemm %[[R]], %[[W2]]
// TEACHER-NEXT: return %[[T]]
// TEACHER-NOT: dsc.softmax_cross_entropy_loss

// A model with no teacher left has none to write.
// NO-TEACHER: error: --dsc-fold-distillation keep-teacher-as: found no teacher

func.func @main(%x: tensor<1x4xf32> {dsc.name = "x"}, %labels: tensor<1xi64> {dsc.name = "labels"})
    -> (tensor<1x2xf32> {dsc.name = "teacher_logits"}, tensor<1x2xf32> {dsc.name = "student_logits"},
        tensor<1x2xf32> {dsc.name = "student_soft"}, tensor<f32> {dsc.name = "loss"}) {
  %wt1 = dsc.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]> : tensor<2x4xf32>
  %wt2 = dsc.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %ws = dsc.constant dense<[[1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 1.0, 2.0]]> : tensor<2x4xf32>
  %bs = dsc.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %t = dsc.constant dense<2.0> : tensor<f32>
  %h = dsc.gemm %x, %wt1 {trans_b = 1 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  %r = dsc.relu %h : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %teacher = dsc.gemm %r, %wt2 {trans_b = 1 : i64} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %student = dsc.gemm %x, %ws, %bs {trans_b = 1 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %ts = dsc.div %teacher, %t : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %tsoft = dsc.softmax %ts {axis = 1 : i64} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %ss = dsc.div %student, %t : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %ssoft = dsc.softmax %ss {axis = 1 : i64} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %ce, %logp = dsc.softmax_cross_entropy_loss %student, %labels : (tensor<1x2xf32>, tensor<1xi64>) -> (tensor<f32>, tensor<1x2xf32>)
  %prod = dsc.mul %tsoft, %ssoft : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %axes = dsc.constant dense<[0, 1]> : tensor<2xi64>
  %kl = dsc.reduce_sum %prod, %axes {keepdims = 0 : i64} : (tensor<1x2xf32>, tensor<2xi64>) -> tensor<f32>
  %loss = dsc.add %ce, %kl : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %teacher, %student, %ssoft, %loss : tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<f32>
}
