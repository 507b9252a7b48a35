"""Writes the binary ONNX models of binary-models.test into sys.argv[1].

The ONNX text format cannot name nodes or store raw/external tensor data, so
these models are built with onnx.helper.
"""
import os
import sys

import onnx
from onnx import TensorProto as T
from onnx import helper as h

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, nodes, inits=(), ins=None, outs=None, opset=17):
    if ins is None:
        ins = [h.make_tensor_value_info("X", T.FLOAT, [2])]
    if outs is None:
        outs = [h.make_tensor_value_info("Y", T.FLOAT, [2])]
    graph = h.make_graph(nodes, "g", ins, outs, list(inits))
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(out, name))


def raw_float(name, dims, data):
    t = T(name=name, data_type=T.FLOAT, dims=dims)
    t.raw_data = data
    return t


# Named nodes: locations and error messages use the names.
save("named.onnx", [
    h.make_node("Relu", ["X"], ["r"], name="block1/relu"),
    h.make_node("Add", ["r", "W"], ["Y"], name="block1/add"),
], [raw_float("W", [2], b"\x00\x00\x80\x3f\x00\x00\x00\x40")])
save("named-unsupported.onnx", [
    h.make_node("Relu", ["X"], ["t"], name="first"),
    h.make_node("Bernoulli", ["t"], ["Y"], name="n1"),
])
# Not an ONNX operator at all: onnx::checker rejects it.
save("unregistered.onnx", [h.make_node("Foo", ["X"], ["Y"], name="n1")])
# raw_data of the wrong size.
save("raw-size.onnx", [h.make_node("Add", ["X", "W"], ["Y"], name="add")],
     [raw_float("W", [2], b"\x00" * 4)])
# External data that is not there.
ext = h.make_tensor("W", T.FLOAT, [2], [1.0, 2.0])
ext.ClearField("float_data")
ext.data_location = T.EXTERNAL
entry = ext.external_data.add()
entry.key, entry.value = "location", "missing.bin"
save("external.onnx", [h.make_node("Add", ["X", "W"], ["Y"], name="add")],
     [ext])
save("string-initializer.onnx", [
    h.make_node("Cast", ["W"], ["c"], to=T.FLOAT, name="cast"),
    h.make_node("Add", ["X", "c"], ["Y"], name="add"),
], [h.make_tensor("W", T.STRING, [2], [b"1", b"2"])])
save("sparse-constant.onnx", [
    h.make_node("Constant", [], ["c"], name="k", sparse_value=h.make_sparse_tensor(
        h.make_tensor("v", T.FLOAT, [1], [1.0]),
        h.make_tensor("i", T.INT64, [1], [0]), [2])),
    h.make_node("Add", ["X", "c"], ["Y"], name="add"),
])
save("no-outputs.onnx", [h.make_node("Relu", ["X"], ["Y"], name="r")],
     outs=[])
save("never-produced.onnx", [h.make_node("Relu", ["X"], ["Z"], name="r")])
save("layernorm-mean.onnx", [
    h.make_node("LayerNormalization", ["X", "S"], ["Y", "M"], name="ln"),
], [h.make_tensor("S", T.FLOAT, [2], [1, 1])],
    outs=[h.make_tensor_value_info("Y", T.FLOAT, [2]),
          h.make_tensor_value_info("M", T.FLOAT, [1])])
save("storage-order.onnx", [
    h.make_node("MaxPool", ["X"], ["Y"], kernel_shape=[1], storage_order=1,
                name="mp"),
], ins=[h.make_tensor_value_info("X", T.FLOAT, [1, 1, 2])],
    outs=[h.make_tensor_value_info("Y", T.FLOAT, [1, 1, 2])])

# Bytes that are neither a protobuf nor text (a fixed pseudo-random stream).
state, data = 12345, bytearray()
for _ in range(512):
    state = (state * 1103515245 + 12345) % 2**31
    data.append(state >> 16 & 0xFF)
with open(os.path.join(out, "random.onnx"), "wb") as f:
    f.write(bytes(data))
open(os.path.join(out, "empty.onnx"), "wb").close()
