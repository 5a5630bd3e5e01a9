#!/usr/bin/python3
"""Synthetic Llama-shaped checkpoints for the out-of-core benchmark, sharded as Hugging Face saves them.

    /usr/bin/python3 bench/gen_llama1b.py OUT_DIR [--models 3] [--layers 16] [--shard-size 1000000000]

Llama 3.2 1B's shapes (hidden 2048, MLP 8192, 16 layers, 32 query and 8 key/value heads of 64, vocabulary 128256,
tied embeddings): 1.24 B parameters, 2.47 GB in bfloat16 per model. OUT_DIR/pre is the base (N(0, 0.02) weights,
norms at 1) and OUT_DIR/ft1 … ft{models-1} are fine-tuned models, base + N(0, 0.002). Each folder holds
model-0000i-of-0000N.safetensors shards of at most --shard-size bytes in bfloat16, model.safetensors.index.json
(total_size, weight_map), a config.json and a tokenizer_config.json. Values come from a seeded generator, one
tensor at a time, so the script itself needs about two tensors' memory.
"""
import argparse
import json
import os
import struct
import zlib

import numpy as np

HIDDEN, MLP, HEADS, KV_HEADS, HEAD_DIM, VOCAB = 2048, 8192, 32, 8, 64, 128256


def tensors(layers):
    yield "model.embed_tokens.weight", (VOCAB, HIDDEN)
    for i in range(layers):
        p = f"model.layers.{i}."
        yield p + "input_layernorm.weight", (HIDDEN,)
        yield p + "self_attn.q_proj.weight", (HEADS * HEAD_DIM, HIDDEN)
        yield p + "self_attn.k_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN)
        yield p + "self_attn.v_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN)
        yield p + "self_attn.o_proj.weight", (HIDDEN, HEADS * HEAD_DIM)
        yield p + "post_attention_layernorm.weight", (HIDDEN,)
        yield p + "mlp.gate_proj.weight", (MLP, HIDDEN)
        yield p + "mlp.up_proj.weight", (MLP, HIDDEN)
        yield p + "mlp.down_proj.weight", (HIDDEN, MLP)
    yield "model.norm.weight", (HIDDEN,)


def bf16(x):
    """float32 → bfloat16 bit patterns, rounding to nearest even."""
    u = x.astype(np.float32, copy=False).view(np.uint32)
    return ((u + np.uint32(0x7FFF) + ((u >> np.uint32(16)) & np.uint32(1))) >> np.uint32(16)).astype(np.uint16)


def values(name, shape, model, seed):
    """The base's tensor, plus the fine-tuning offset of model > 0 (same base draw in every model)."""
    key = zlib.crc32(name.encode())
    base_rng = np.random.default_rng([seed, key])
    if name.endswith("norm.weight"):
        x = np.ones(shape, dtype=np.float32)
    else:
        x = base_rng.standard_normal(shape, dtype=np.float32)
        x *= np.float32(0.02)
    if model > 0:
        noise = np.random.default_rng([seed, key, model]).standard_normal(shape, dtype=np.float32)
        noise *= np.float32(0.002)
        x += noise
    return bf16(x)


def write_shard(path, names_shapes, arrays):
    header, offset = {}, 0
    for (name, shape), a in zip(names_shapes, arrays):
        n = a.nbytes
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    tmp = path + ".partial"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for a in arrays:
            f.write(a.tobytes())
    os.replace(tmp, path)


def write_model(folder, model, layers, shard_size, seed):
    os.makedirs(folder, exist_ok=True)
    plan, current, size = [], [], 0
    for name, shape in tensors(layers):
        n = int(np.prod(shape)) * 2
        if current and size + n > shard_size:
            plan.append(current)
            current, size = [], 0
        current.append((name, shape))
        size += n
    plan.append(current)
    weight_map, total = {}, 0
    for i, shard in enumerate(plan):
        fname = f"model-{i + 1:05d}-of-{len(plan):05d}.safetensors"
        arrays = []
        for name, shape in shard:
            arrays.append(values(name, shape, model, seed))
            weight_map[name] = fname
            total += arrays[-1].nbytes
        write_shard(os.path.join(folder, fname), shard, arrays)
        del arrays
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": HIDDEN,
                   "intermediate_size": MLP, "num_hidden_layers": layers, "num_attention_heads": HEADS,
                   "num_key_value_heads": KV_HEADS, "vocab_size": VOCAB, "tie_word_embeddings": True,
                   "torch_dtype": "bfloat16"}, f, indent=2)
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "synthetic": True}, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--models", type=int, default=3, help="base + (models - 1) fine-tuned (default 3)")
    ap.add_argument("--layers", type=int, default=16)
    ap.add_argument("--shard-size", type=int, default=1_000_000_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    for m in range(a.models):
        folder = os.path.join(a.out, "pre" if m == 0 else f"ft{m}")
        if os.path.isfile(os.path.join(folder, "model.safetensors.index.json")):
            print(f"{folder}: present, kept")
            continue
        write_model(folder, m, a.layers, a.shard_size, a.seed)
        print(f"{folder}: written")


if __name__ == "__main__":
    main()
