#!/usr/bin/python3
"""Writes small pre-quantized ONNX models, the test cases of dsc's
quantized import and integer code generation (each checked against ONNX
Runtime by utils/e2e_check.py):

  qdq_conv.onnx          QDQ: QuantizeLinear/DequantizeLinear around a conv
                         with per-channel int8 weights, bias and Relu
  qlinear_conv.onnx      QLinearConv: uint8 in/out, per-channel int8
                         weights, int32 bias, stride 2, padding
  qlinear_matmul.onnx    QLinearMatMul: uint8 x int8 with batch dims
  matmul_integer.onnx    MatMulInteger: uint8 x int8 with per-column weight
                         zero points, int32 out
  conv_integer_dynamic.onnx
                         DynamicQuantizeLinear + ConvInteger + rescale (how
                         ONNX Runtime's dynamic quantizer writes convs)
  int4_matmul.onnx       opset 21: DequantizeLinear of int4 weights (per
                         column) + MatMul; onnx 1.12's helper has no INT4, so
                         the tensor is built by hand (data_type 22, raw_data)

    utils/make_quant_models.py OUTDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


def save(model, folder, name, opset=13, ir=7):
    model.opset_import[0].version = opset
    model.ir_version = ir
    if opset <= 17:
        onnx.checker.check_model(model)
    onnx.save(model, os.path.join(folder, name))


def const(name, array):
    return numpy_helper.from_array(array, name)


def scalar(name, value, dtype):
    return numpy_helper.from_array(np.array(value, dtype=dtype), name)


def qdq_conv(folder):
    weights = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    w_scale = (np.abs(weights).reshape(4, -1).max(axis=1) / 127).astype(np.float32)
    w_q = np.clip(np.round(weights / w_scale[:, None, None, None]), -127, 127).astype(np.int8)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"], name="quant_x"),
        helper.make_node("DequantizeLinear", ["xq", "x_scale", "x_zp"], ["xd"], name="dequant_x"),
        helper.make_node("DequantizeLinear", ["wq", "w_scale", "w_zp"], ["wd"], name="dequant_w",
                         axis=0),
        helper.make_node("Conv", ["xd", "wd", "bias"], ["conv"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv"], ["relu"], name="relu"),
        helper.make_node("QuantizeLinear", ["relu", "y_scale", "y_zp"], ["yq"], name="quant_y"),
        helper.make_node("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"], name="dequant_y"),
    ]
    graph = helper.make_graph(
        nodes, "qdq_conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8, 8])],
        [scalar("x_scale", 0.03, np.float32), scalar("x_zp", 128, np.uint8),
         const("wq", w_q), const("w_scale", w_scale), const("w_zp", np.zeros(4, np.int8)),
         const("bias", rng.standard_normal(4).astype(np.float32)),
         scalar("y_scale", 0.05, np.float32), scalar("y_zp", 0, np.uint8)])
    save(helper.make_model(graph), folder, "qdq_conv.onnx")


def qlinear_conv(folder):
    w = rng.integers(-127, 128, (6, 4, 3, 3)).astype(np.int8)
    graph = helper.make_graph(
        [helper.make_node("QLinearConv",
                          ["x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp",
                           "bias"], ["y"], name="qconv", strides=[2, 2], pads=[1, 1, 1, 1])],
        "qlinear_conv",
        [helper.make_tensor_value_info("x", TensorProto.UINT8, [1, 4, 9, 9])],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 6, 5, 5])],
        [scalar("x_scale", 0.02, np.float32), scalar("x_zp", 120, np.uint8), const("w", w),
         const("w_scale", rng.uniform(0.002, 0.01, 6).astype(np.float32)),
         const("w_zp", np.zeros(6, np.int8)),
         scalar("y_scale", 0.08, np.float32), scalar("y_zp", 100, np.uint8),
         const("bias", rng.integers(-2000, 2000, 6).astype(np.int32))])
    save(helper.make_model(graph), folder, "qlinear_conv.onnx", opset=13)


def qlinear_matmul(folder):
    graph = helper.make_graph(
        [helper.make_node("QLinearMatMul",
                          ["a", "a_scale", "a_zp", "b", "b_scale", "b_zp", "y_scale", "y_zp"],
                          ["y"], name="qmatmul")],
        "qlinear_matmul",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [2, 3, 16])],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, [2, 3, 8])],
        [scalar("a_scale", 0.02, np.float32), scalar("a_zp", 130, np.uint8),
         const("b", rng.integers(-127, 128, (16, 8)).astype(np.int8)),
         scalar("b_scale", 0.01, np.float32), scalar("b_zp", 0, np.int8),
         scalar("y_scale", 0.1, np.float32), scalar("y_zp", 128, np.uint8)])
    save(helper.make_model(graph), folder, "qlinear_matmul.onnx")


def matmul_integer(folder):
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b", "a_zp", "b_zp"], ["y"], name="imatmul")],
        "matmul_integer",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [4, 16])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [4, 8])],
        [const("b", rng.integers(-128, 128, (16, 8)).astype(np.int8)),
         scalar("a_zp", 7, np.uint8),
         const("b_zp", rng.integers(-5, 5, 8).astype(np.int8))])
    save(helper.make_model(graph), folder, "matmul_integer.onnx")


def conv_integer_dynamic(folder):
    weights = rng.standard_normal((8, 3, 3, 3)).astype(np.float32)
    w_scale = np.float32((weights.max() - weights.min()) / 255)
    w_zp = np.uint8(np.round(-weights.min() / w_scale))
    w_q = np.clip(np.round(weights / w_scale) + w_zp, 0, 255).astype(np.uint8)
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "x_scale", "x_zp"], name="dql"),
        helper.make_node("ConvInteger", ["xq", "w", "x_zp", "w_zp"], ["acc"], name="convint",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Cast", ["acc"], ["accf"], name="cast", to=TensorProto.FLOAT),
        helper.make_node("Mul", ["x_scale", "w_scale"], ["scale"], name="scale"),
        helper.make_node("Mul", ["accf", "scale"], ["y"], name="rescale"),
    ]
    graph = helper.make_graph(
        nodes, "conv_integer_dynamic",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 10, 10])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, 10, 10])],
        [const("w", w_q), scalar("w_zp", w_zp, np.uint8), scalar("w_scale", w_scale, np.float32)])
    save(helper.make_model(graph), folder, "conv_integer_dynamic.onnx")


def int4_matmul(folder):
    k, n = 32, 16
    values = rng.integers(-8, 8, (k, n)).astype(np.int8)
    nibbles = (values.ravel() & 0xF).astype(np.uint8)
    packed = (nibbles[0::2] | (nibbles[1::2] << 4)).astype(np.uint8)
    w = TensorProto()
    w.name = "w4"
    w.data_type = 22  # INT4
    w.dims.extend([k, n])
    w.raw_data = packed.tobytes()
    nodes = [
        helper.make_node("DequantizeLinear", ["w4", "w_scale"], ["w"], name="dequant_w",
                         axis=1),
        helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul"),
    ]
    graph = helper.make_graph(
        nodes, "int4_matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, n])],
        [w, const("w_scale", rng.uniform(0.01, 0.1, n).astype(np.float32))])
    save(helper.make_model(graph), folder, "int4_matmul.onnx", opset=21, ir=10)


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    for make in (qdq_conv, qlinear_conv, qlinear_matmul, matmul_integer,
                 conv_integer_dynamic, int4_matmul):
        make(folder)


if __name__ == "__main__":
    main()
