#!/usr/bin/python3
"""onnx_op_inventory.py FILE... - summarise what ONNX models need from an importer.

Per model: IR version, opset imports, graph inputs/outputs with shapes
(symbolic dims by name, '?' when unknown), how the weights are stored
(initializers vs Constant nodes), and the op types used, counted recursively
through subgraphs (If/Loop/Scan bodies). At the end: the union of all op
types, each with the models using it and the highest opset it appears at.
Ops outside the default ONNX domain are written as 'domain::OpType'.
"""
import collections
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

DEFAULT_DOMAINS = ("", "ai.onnx")


def op_key(node):
    return node.op_type if node.domain in DEFAULT_DOMAINS else f"{node.domain}::{node.op_type}"


def walk(graph, depth=0):
    """Yield (node, depth) for every node, descending into subgraph attributes."""
    for node in graph.node:
        yield node, depth
        for attr in node.attribute:
            subs = [attr.g] if attr.type == onnx.AttributeProto.GRAPH else list(attr.graphs)
            for sub in subs:
                yield from walk(sub, depth + 1)


def shape_str(value_info):
    t = value_info.type
    if not t.HasField("tensor_type"):
        return f"<{t.WhichOneof('value')}>"
    tt = t.tensor_type
    dtype = TensorProto.DataType.Name(tt.elem_type).lower()
    if not tt.HasField("shape"):
        return f"{dtype}[unranked]"
    dims = [d.dim_param if d.HasField("dim_param") else
            str(d.dim_value) if d.HasField("dim_value") else "?" for d in tt.shape.dim]
    return f"{dtype}[{', '.join(dims)}]"


def numel(tensor):
    return int(np.prod(tensor.dims)) if tensor.dims else 1


def inventory(path):
    model = onnx.load(path, load_external_data=False)
    g = model.graph
    opsets = {(o.domain or "ai.onnx"): o.version for o in model.opset_import}
    print(f"== {path}")
    print(f"  ir_version {model.ir_version}, producer {model.producer_name or '?'} "
          f"{model.producer_version}".rstrip())
    print("  opset_import: " + ", ".join(f"{d} {v}" for d, v in sorted(opsets.items())))

    inits = {t.name for t in g.initializer}
    for kind, values in (("input ", [v for v in g.input if v.name not in inits]),
                         ("output", list(g.output))):
        for v in values:
            print(f"  {kind} {v.name}: {shape_str(v)}")

    counts = collections.Counter()
    consts, const_elems, max_depth = 0, 0, 0
    for node, depth in walk(g):
        counts[op_key(node)] += 1
        max_depth = max(max_depth, depth)
        if node.op_type == "Constant" and node.domain in DEFAULT_DOMAINS:
            consts += 1
            for a in node.attribute:
                if a.type == onnx.AttributeProto.TENSOR:
                    const_elems += numel(a.t)
    init_elems = sum(numel(t) for t in g.initializer)
    external = sum(1 for t in g.initializer if t.data_location == TensorProto.EXTERNAL)
    print(f"  weights: {len(g.initializer)} initializers ({init_elems} elements"
          f"{f', {external} external' if external else ''}), "
          f"{len(g.sparse_initializer)} sparse initializers, "
          f"{consts} Constant nodes ({const_elems} elements)")
    if init_elems >= const_elems:
        print(f"  weights are mainly initializers ({const_elems} elements in Constant nodes)")
    else:
        print(f"  weights are mainly Constant nodes ({init_elems} elements in initializers)")
    print(f"  nodes: {sum(counts.values())} ({len(g.node)} in main graph), "
          f"subgraph nesting depth {max_depth}")
    for op, n in sorted(counts.items()):
        print(f"    {op:28s} {n}")
    return counts, opsets


def op_version(op, opset):
    """The operator set version (since_version) that defines op at opset, or None
    when the installed onnx package does not know that opset/op."""
    domain, name = op.split("::") if "::" in op else ("", op)
    if opset > onnx.defs.onnx_opset_version() and domain == "":
        return None
    try:
        return onnx.defs.get_schema(name, opset, domain).since_version
    except Exception:
        return None


def main(paths):
    if not paths:
        sys.exit(__doc__)
    users = collections.defaultdict(list)  # op -> [model names]
    opsets_of = collections.defaultdict(set)  # op -> model opsets of its domain
    for path in paths:
        counts, opsets = inventory(path)
        name = os.path.splitext(os.path.basename(path))[0]
        for op in counts:
            domain = op.split("::")[0] if "::" in op else "ai.onnx"
            users[op].append(name)
            opsets_of[op].add(opsets.get(domain, 0))
        print()
    print(f"== union of op types over {len(paths)} models ({len(users)} op types)")
    print(" ".join(sorted(users)))
    print()
    print("== per op type: model opsets (-> operator version defining the op,"
          " '?' = unknown to onnx " + onnx.__version__ + "), number of models, models")
    for op in sorted(users):
        vers = " ".join(f"{o}->{op_version(op, o) or '?'}" for o in sorted(opsets_of[op]))
        print(f"  {op:20s} max {max(opsets_of[op]):<3d} [{vers}]  {len(users[op])}: "
              f"{' '.join(users[op])}")
    other = sorted(op for op in users if "::" in op)
    print()
    print("== ops outside the default ONNX domain: " + (" ".join(other) if other else "none"))


if __name__ == "__main__":
    main(sys.argv[1:])
