"""Checks a checkpoint written as float16/bfloat16 against PyTorch's own narrowing of the float32 weights.

usage: cast_reference.py <float32 .safetensors> <narrowed .safetensors or model.safetensors.index.json> <float16|bfloat16>
Prints JSON: {"tensors": n, "elements": m, "mismatched": [names whose bits differ from torch's .to(dtype)]}.
"""
import json
import os
import struct
import sys

import torch


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    body = memoryview(data)[8 + n :]
    return header, body


DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def tensor(header, body, name):
    entry = header[name]
    begin, end = entry["data_offsets"]
    return torch.frombuffer(bytearray(body[begin:end]), dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])


def shards(path):
    """name -> (header, body) of the file holding it: the file itself, or every shard an HF index maps."""
    if not path.endswith(".index.json"):
        header, body = read(path)
        return {name: (header, body) for name in header}
    with open(path) as f:
        weight_map = json.load(f)["weight_map"]
    files = {file: read(os.path.join(os.path.dirname(path), file)) for file in set(weight_map.values())}
    return {name: files[file] for name, file in weight_map.items()}


def main():
    source, narrowed, kind = sys.argv[1], sys.argv[2], sys.argv[3]
    want = {"float16": torch.float16, "bfloat16": torch.bfloat16}[kind]
    h32, b32 = read(source)
    located = shards(narrowed)
    mismatched, elements = [], 0
    for name in sorted(h32):
        h16, b16 = located[name]
        ours = tensor(h16, b16, name)
        theirs = tensor(h32, b32, name).to(want)
        elements += theirs.numel()
        if ours.dtype != want or not torch.equal(ours.view(torch.int16), theirs.view(torch.int16)):
            mismatched.append(name)
    print(json.dumps({"tensors": len(h32), "elements": elements, "mismatched": mismatched}))


main()
