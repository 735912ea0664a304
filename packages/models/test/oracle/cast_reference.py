"""Checks a checkpoint written as float16/bfloat16 against PyTorch's own narrowing of the float32 weights.

usage: cast_reference.py <float32 .safetensors> <narrowed .safetensors> <float16|bfloat16>
Prints JSON: {"tensors": n, "elements": m, "mismatched": [names whose bits differ from torch's .to(dtype)]}.
"""
import json
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


def main():
    source, narrowed, kind = sys.argv[1], sys.argv[2], sys.argv[3]
    want = {"float16": torch.float16, "bfloat16": torch.bfloat16}[kind]
    h32, b32 = read(source)
    h16, b16 = read(narrowed)
    mismatched, elements = [], 0
    for name in sorted(h32):
        ours = tensor(h16, b16, name)
        theirs = tensor(h32, b32, name).to(want)
        elements += theirs.numel()
        if ours.dtype != want or not torch.equal(ours.view(torch.int16), theirs.view(torch.int16)):
            mismatched.append(name)
    print(json.dumps({"tensors": len(h32), "elements": elements, "mismatched": mismatched}))


main()
