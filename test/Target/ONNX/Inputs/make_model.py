#!/usr/bin/env python3
"""Writes the binary ONNX models the importer tests need and the textual
syntax cannot express (node names, external data).

    make_model.py relu OUT.onnx
        x: float[2,3] -> Relu -> y. A valid model, to truncate or list.
    make_model.py named-nodes OUT.onnx
        Conv -> Relu with PyTorch-style node names, a node without a name,
        and an If whose branch holds a named node.
    make_model.py named-gemm-mismatch OUT.onnx
        A Gemm named /classifier/fc/Gemm whose inner dims differ (3 vs 4).
    make_model.py external OUT.onnx LOCATION [--no-data]
        Add(x, w) with the initializer w = [1, 2, 3, 4] (float) stored as
        external data at LOCATION; the data file is written next to the
        model unless --no-data is given (LOCATION is written as given, so it
        may be absolute or leave the model's folder).
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 13)]


def save(graph, path):
    model = helper.make_model(graph, opset_imports=OPSET)
    model.ir_version = 8
    onnx.save(model, path)


def relu(path):
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")], "relu",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])])
    save(graph, path)


def named_nodes(path):
    weight = numpy_helper.from_array(
        np.ones((2, 3, 3, 3), dtype=np.float32), "backbone.conv1.weight")
    then_graph = helper.make_graph(
        [helper.make_node("Neg", ["r"], ["t"], name="/head/then/Neg")],
        "then_branch", [],
        [helper.make_tensor_value_info("t", TensorProto.FLOAT, [1, 2, 6, 6])])
    else_graph = helper.make_graph(
        [helper.make_node("Identity", ["r"], ["e"])], "else_branch", [],
        [helper.make_tensor_value_info("e", TensorProto.FLOAT, [1, 2, 6, 6])])
    nodes = [
        helper.make_node("Conv", ["x", "backbone.conv1.weight"], ["c"],
                         name="/backbone/conv1/Conv"),
        helper.make_node("Relu", ["c"], ["r"], name="/backbone/relu/Relu"),
        helper.make_node("Sigmoid", ["r"], ["s"]),
        helper.make_node("If", ["cond"], ["y"], name="/head/If",
                         then_branch=then_graph, else_branch=else_graph),
    ]
    graph = helper.make_graph(
        nodes, "named_nodes",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8]),
         helper.make_tensor_value_info("cond", TensorProto.BOOL, [])],
        [helper.make_tensor_value_info("s", TensorProto.FLOAT, [1, 2, 6, 6]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 6, 6])],
        [weight])
    save(graph, path)


def named_gemm_mismatch(path):
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["a", "b"], ["y"], name="/classifier/fc/Gemm")],
        "named_gemm_mismatch",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3]),
         helper.make_tensor_value_info("b", TensorProto.FLOAT, [4, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5])])
    save(graph, path)


def external(path, location, write_data):
    data = np.array([1, 2, 3, 4], dtype=np.float32)
    weight = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[4])
    weight.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", "0"),
                       ("length", str(data.nbytes))):
        entry = weight.external_data.add()
        entry.key, entry.value = key, value
    if write_data:
        folder = os.path.dirname(os.path.abspath(path))
        with open(os.path.join(folder, location), "wb") as f:
            f.write(data.tobytes())
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "w"], ["y"], name="add")], "external",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
        [weight])
    save(graph, path)


def main(argv):
    if len(argv) >= 3 and argv[1] == "relu":
        relu(argv[2])
    elif len(argv) >= 3 and argv[1] == "named-nodes":
        named_nodes(argv[2])
    elif len(argv) >= 3 and argv[1] == "named-gemm-mismatch":
        named_gemm_mismatch(argv[2])
    elif len(argv) >= 4 and argv[1] == "external":
        external(argv[2], argv[3], "--no-data" not in argv[4:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
