#!/usr/bin/python3
"""Golden outputs for TauLab's ClipVit, from an independent PyTorch implementation.

Builds a tiny CLIP-style ViT visual tower with random weights (OpenCLIP tensor names), runs it with
torch.nn.functional.conv2d for the patch embedding and torch.nn.MultiheadAttention for attention (the
modules OpenCLIP itself uses), and writes:
  vit-tiny.safetensors     the model (metadata: taulab.vit.heads)
  vit-tiny-io.safetensors  input images, a linear head, expected features and logits
Run with Debian's python3-torch:  /usr/bin/python3 make_vit_golden.py  (deterministic: seed 0).
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

WIDTH, LAYERS, HEADS, PATCH, GRID, CHANNELS, EMBED, CLASSES, BATCH = 32, 2, 4, 4, 3, 2, 16, 5, 3


def shapes():
    s = {
        "conv1.weight": (WIDTH, CHANNELS, PATCH, PATCH),
        "class_embedding": (WIDTH,),
        "positional_embedding": (GRID * GRID + 1, WIDTH),
        "ln_pre.weight": (WIDTH,), "ln_pre.bias": (WIDTH,),
    }
    for i in range(LAYERS):
        b = f"transformer.resblocks.{i}."
        s.update({
            b + "ln_1.weight": (WIDTH,), b + "ln_1.bias": (WIDTH,),
            b + "attn.in_proj_weight": (3 * WIDTH, WIDTH), b + "attn.in_proj_bias": (3 * WIDTH,),
            b + "attn.out_proj.weight": (WIDTH, WIDTH), b + "attn.out_proj.bias": (WIDTH,),
            b + "ln_2.weight": (WIDTH,), b + "ln_2.bias": (WIDTH,),
            b + "mlp.c_fc.weight": (4 * WIDTH, WIDTH), b + "mlp.c_fc.bias": (4 * WIDTH,),
            b + "mlp.c_proj.weight": (WIDTH, 4 * WIDTH), b + "mlp.c_proj.bias": (WIDTH,),
        })
    s.update({"ln_post.weight": (WIDTH,), "ln_post.bias": (WIDTH,), "proj": (WIDTH, EMBED)})
    return s


def forward(p, images):
    x = F.conv2d(images, p["conv1.weight"], stride=PATCH)            # [N, W, g, g]
    x = x.flatten(2).transpose(1, 2)                                 # [N, g², W]
    cls = p["class_embedding"].expand(x.shape[0], 1, WIDTH)
    x = torch.cat([cls, x], dim=1) + p["positional_embedding"]
    x = F.layer_norm(x, (WIDTH,), p["ln_pre.weight"], p["ln_pre.bias"])
    for i in range(LAYERS):
        b = f"transformer.resblocks.{i}."
        attn = torch.nn.MultiheadAttention(WIDTH, HEADS, batch_first=True)
        with torch.no_grad():
            attn.in_proj_weight.copy_(p[b + "attn.in_proj_weight"])
            attn.in_proj_bias.copy_(p[b + "attn.in_proj_bias"])
            attn.out_proj.weight.copy_(p[b + "attn.out_proj.weight"])
            attn.out_proj.bias.copy_(p[b + "attn.out_proj.bias"])
        h = F.layer_norm(x, (WIDTH,), p[b + "ln_1.weight"], p[b + "ln_1.bias"])
        x = x + attn(h, h, h, need_weights=False)[0]
        h = F.layer_norm(x, (WIDTH,), p[b + "ln_2.weight"], p[b + "ln_2.bias"])
        h = F.linear(h, p[b + "mlp.c_fc.weight"], p[b + "mlp.c_fc.bias"])
        h = h * torch.sigmoid(1.702 * h)                             # QuickGELU, as in OpenAI CLIP
        x = x + F.linear(h, p[b + "mlp.c_proj.weight"], p[b + "mlp.c_proj.bias"])
    pooled = F.layer_norm(x[:, 0, :], (WIDTH,), p["ln_post.weight"], p["ln_post.bias"])
    return pooled @ p["proj"]


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = np.ascontiguousarray(t.detach().numpy().astype("<f4")).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    torch.manual_seed(0)
    params = {}
    for name, shape in shapes().items():
        if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name.startswith("ln_") and name.endswith(".weight"):
            params[name] = 1 + 0.1 * torch.randn(shape)
        else:
            params[name] = 0.2 * torch.randn(shape)
    images = torch.rand(BATCH, CHANNELS, GRID * PATCH, GRID * PATCH)
    head_w = torch.randn(CLASSES, EMBED)
    head_b = torch.randn(CLASSES)
    with torch.no_grad():
        feats = forward(params, images)
        logits = F.normalize(feats, dim=-1) @ head_w.T + head_b
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    write_safetensors(f"{out}/vit-tiny.safetensors", params, {"taulab.vit.heads": str(HEADS)})
    write_safetensors(f"{out}/vit-tiny-io.safetensors",
                      {"images": images, "head.weight": head_w, "head.bias": head_b, "features": feats, "logits": logits})


if __name__ == "__main__":
    main()
