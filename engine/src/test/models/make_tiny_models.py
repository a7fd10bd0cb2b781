#!/usr/bin/env python3
"""Writes the tiny embedding models and the preprocessing fixture the engine's tests use.

Run from the repository root with Debian's python3-onnx and python3-numpy:

    python3 engine/src/test/models/make_tiny_models.py            # the committed test models
    python3 engine/src/test/models/make_tiny_models.py --vit-b32 OUT   # a ViT-B/32-sized graph, timing only

The models use the open_clip export layout (config.json, visual/, textual/). They are not trained:

- the visual tower undoes the normalisation (x * std + mean), takes the mean colour of the whole
  picture and of its four quadrants, and returns [mean colour - 0.5 (3 values), quadrant colour -
  mean colour (12 values), 0.05]: a fixed function of colour and layout;
- the textual tower sums a per-token table over the tokens: a colour word ("red", "green", ...) maps to
  its RGB corner minus 0.5 in the first three dimensions, every other token to nothing, plus 0.05 in the
  last dimension so that a text without colour words still has a direction.

So cosine("red", red picture) is close to 1 and cosine("red", blue picture) is negative.

The fixture (preprocess/) pins the preprocessing: a 40 x 24 PNG and, for both resize modes, the tensor
computed here with numpy by PIL's antialiased bicubic filter (a = -0.5, support widened by the scale
factor when shrinking), in float arithmetic.
"""
import json
import os
import struct
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = 32
EMBED_DIM = 16
CONTEXT = 8
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
COLOURS = {
    "red": (1, 0, 0), "green": (0, 1, 0), "blue": (0, 0, 1), "yellow": (1, 1, 0),
    "cyan": (0, 1, 1), "magenta": (1, 0, 1), "white": (1, 1, 1), "black": (0, 0, 0),
}
OTHER_WORDS = ["a", "an", "the", "of", "photo", "picture", "image", "with", "and", "in", "landscape"]
PAD, UNK = "[PAD]", "[UNK]"
OPSET = [helper.make_opsetid("", 17)]


def visual_graph(input_name="image", size=SIZE):
    half = size // 2
    init = [
        numpy_helper.from_array(np.array(STD, np.float32).reshape(1, 3, 1, 1), "std"),
        numpy_helper.from_array(np.array(MEAN, np.float32).reshape(1, 3, 1, 1), "mean"),
        numpy_helper.from_array(np.array([0.5], np.float32), "half"),
        numpy_helper.from_array(np.array([0.05], np.float32).reshape(1, 1), "bias"),
        numpy_helper.from_array(np.array([1, 12], np.int64), "flat12"),
        numpy_helper.from_array(np.array([1, 3], np.int64), "flat3"),
    ]
    nodes = [
        helper.make_node("Mul", [input_name, "std"], ["scaled"]),
        helper.make_node("Add", ["scaled", "mean"], ["rgb"]),
        helper.make_node("AveragePool", ["rgb"], ["quads"], kernel_shape=[half, half], strides=[half, half]),
        helper.make_node("ReduceMean", ["quads"], ["global"], axes=[2, 3], keepdims=1),
        helper.make_node("Sub", ["quads", "global"], ["layout4"]),
        helper.make_node("Reshape", ["layout4", "flat12"], ["layout"]),
        helper.make_node("Reshape", ["global", "flat3"], ["colour3"]),
        helper.make_node("Sub", ["colour3", "half"], ["colour"]),
        helper.make_node("Concat", ["colour", "layout", "bias"], ["embedding"], axis=1),
    ]
    graph = helper.make_graph(
        nodes, "tiny_visual",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, EMBED_DIM])], init)
    return helper.make_model(graph, opset_imports=OPSET, producer_name="loupe-tiny")


def vocabulary():
    words = [PAD, UNK] + list(COLOURS) + OTHER_WORDS
    return {w: i for i, w in enumerate(words)}


def textual_graph(vocab):
    table = np.zeros((len(vocab), EMBED_DIM), np.float32)
    for word, rgb in COLOURS.items():
        table[vocab[word], 0:3] = np.array(rgb, np.float32) - 0.5
    init = [
        numpy_helper.from_array(table, "table"),
        numpy_helper.from_array(np.eye(1, EMBED_DIM, EMBED_DIM - 1, dtype=np.float32) * 0.05, "bias"),
        numpy_helper.from_array(np.array([1], np.int64), "axis1"),
    ]
    nodes = [
        helper.make_node("Gather", ["table", "text"], ["vectors"], axis=0),
        helper.make_node("ReduceSum", ["vectors", "axis1"], ["summed"], keepdims=0),
        helper.make_node("Add", ["summed", "bias"], ["embedding"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_textual",
        [helper.make_tensor_value_info("text", TensorProto.INT32, [1, CONTEXT])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, EMBED_DIM])], init)
    return helper.make_model(graph, opset_imports=OPSET, producer_name="loupe-tiny")


def tokenizer_json(vocab):
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": vocab[PAD], "content": PAD, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
            {"id": vocab[UNK], "content": UNK, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
        ],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": UNK},
    }


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=False)
        f.write("\n")


def save(model, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def preprocess_cfg(size, resize_mode):
    return {"size": [size, size], "mode": "RGB", "mean": MEAN, "std": STD,
            "interpolation": "bicubic", "resize_mode": resize_mode, "fill_color": 0}


def config(with_text=True):
    cfg = {"embed_dim": EMBED_DIM, "vision_cfg": {"image_size": SIZE}}
    if with_text:
        cfg["text_cfg"] = {"context_length": CONTEXT, "vocab_size": len(vocabulary())}
    return cfg


def write_tiny(root):
    vocab = vocabulary()
    # colour: image and text towers
    d = os.path.join(root, "tiny-colour")
    write_json(os.path.join(d, "config.json"), config())
    save(visual_graph(), os.path.join(d, "visual", "model.onnx"))
    write_json(os.path.join(d, "visual", "preprocess_cfg.json"), preprocess_cfg(SIZE, "shortest"))
    save(textual_graph(vocab), os.path.join(d, "textual", "model.onnx"))
    write_json(os.path.join(d, "textual", "tokenizer.json"), tokenizer_json(vocab))
    write_json(os.path.join(d, "textual", "tokenizer_config.json"), {"pad_token": PAD, "model_max_length": CONTEXT})
    # the same visual tower without a text tower
    d = os.path.join(root, "tiny-colour-image-only")
    write_json(os.path.join(d, "config.json"), config(with_text=False))
    save(visual_graph(), os.path.join(d, "visual", "model.onnx"))
    write_json(os.path.join(d, "visual", "preprocess_cfg.json"), preprocess_cfg(SIZE, "shortest"))
    # a visual tower whose input is not called "image" (for the error test)
    d = os.path.join(root, "broken-input-name")
    write_json(os.path.join(d, "config.json"), config(with_text=False))
    save(visual_graph(input_name="pixel_values"), os.path.join(d, "visual", "model.onnx"))
    write_json(os.path.join(d, "visual", "preprocess_cfg.json"), preprocess_cfg(SIZE, "shortest"))


# ---- the preprocessing fixture: PIL's bicubic, written with numpy ----

def cubic(x, a=-0.5):
    x = np.abs(x)
    return np.where(x < 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2, (((x - 5) * x + 8) * x - 4) * a, 0.0))


def resample_matrix(n_in, n_out):
    """Row i holds the weights of output sample i over the input samples (PIL's precompute_coeffs)."""
    scale = n_in / n_out
    filterscale = max(scale, 1.0)
    support = 2.0 * filterscale
    m = np.zeros((n_out, n_in))
    for i in range(n_out):
        centre = (i + 0.5) * scale
        lo = max(int(centre - support + 0.5), 0)
        hi = min(int(centre + support + 0.5), n_in)
        xs = np.arange(lo, hi)
        w = cubic((xs - centre + 0.5) / filterscale)
        m[i, lo:hi] = w / w.sum()
    return m


def resize(rgb, width, height):
    h, w, _ = rgb.shape
    horizontal = resample_matrix(w, width)
    vertical = resample_matrix(h, height)
    out = np.einsum("xw,hwc->hxc", horizontal, rgb)
    out = np.einsum("yh,hxc->yxc", vertical, out)
    return np.clip(out, 0, 255)


def preprocess(rgb, size, mode):
    h, w, _ = rgb.shape
    if mode == "squash":
        out = resize(rgb, size, size)
    else:
        if w < h:
            nw, nh = size, int(h / w * size)
        else:
            nw, nh = int(w / h * size), size
        out = resize(rgb, nw, nh)
        left = int(nw / 2 - size / 2)
        top = int(nh / 2 - size / 2)
        out = out[top:top + size, left:left + size]
    out = out / 255.0
    out = (out - np.array(MEAN)) / np.array(STD)
    return out.transpose(2, 0, 1).astype(np.float32)


def png(path, rgb):
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].astype(np.uint8).tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def write_fixture(root):
    d = os.path.join(root, "preprocess")
    os.makedirs(d, exist_ok=True)
    w, h, size = 40, 24, 16
    ys, xs = np.mgrid[0:h, 0:w]
    rgb = np.stack([(xs * 255) // (w - 1), (ys * 255) // (h - 1), ((xs * 7 + ys * 13) % 64) * 4], axis=2)
    rgb[8:16, 28:36] = (250, 10, 30)  # a sharp block, so that the filter's overshoot shows
    png(os.path.join(d, "input-40x24.png"), rgb)
    expected = {"width": w, "height": h, "size": size}
    for mode in ("shortest", "squash"):
        expected[mode] = [round(float(v), 6) for v in preprocess(rgb.astype(np.float64), size, mode).ravel()]
    write_json(os.path.join(d, "expected.json"), expected)


# ---- a ViT-B/32-sized visual tower, for timing only (random weights, about 350 MB) ----

def vit_b32(out_dir, layers=12, width=768, heads=12, mlp=3072, embed=512, size=224, patch=32):
    rng = np.random.default_rng(32)
    tokens = (size // patch) ** 2 + 1
    head_dim = width // heads
    init, nodes = [], []

    def weight(name, shape, scale=0.02):
        init.append(numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name))
        return name

    def const(name, value, dtype=np.int64):
        init.append(numpy_helper.from_array(np.array(value, dtype), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], **attrs))
        return name

    x = node("Conv", ["image", weight("patch_w", (width, 3, patch, patch))], "patches",
             kernel_shape=[patch, patch], strides=[patch, patch])
    x = node("Reshape", [x, const("shape_p", [1, width, tokens - 1])], "patches_flat")
    x = node("Transpose", [x], "patch_tokens", perm=[0, 2, 1])
    x = node("Concat", [weight("cls", (1, 1, width)), x], "with_cls", axis=1)
    x = node("Add", [x, weight("pos", (1, tokens, width))], "tokens0")
    scale = const("attn_scale", [1.0 / np.sqrt(head_dim)], np.float32)
    split_shape = const("split_shape", [1, tokens, 3, heads, head_dim])
    merge_shape = const("merge_shape", [1, tokens, width])
    for i in range(layers):
        p = f"l{i}_"
        h = node("LayerNormalization", [x, const(p + "ln1_g", np.ones(width), np.float32),
                                        const(p + "ln1_b", np.zeros(width), np.float32)], p + "ln1", axis=-1)
        qkv = node("MatMul", [h, weight(p + "qkv", (width, 3 * width))], p + "qkv_out")
        qkv = node("Reshape", [qkv, split_shape], p + "qkv_split")
        qkv = node("Transpose", [qkv], p + "qkv_t", perm=[2, 0, 3, 1, 4])
        q = node("Gather", [qkv, const(p + "i0", 0)], p + "q", axis=0)
        k = node("Gather", [qkv, const(p + "i1", 1)], p + "k", axis=0)
        v = node("Gather", [qkv, const(p + "i2", 2)], p + "v", axis=0)
        kt = node("Transpose", [k], p + "kt", perm=[0, 1, 3, 2])
        att = node("MatMul", [q, kt], p + "att")
        att = node("Mul", [att, scale], p + "att_scaled")
        att = node("Softmax", [att], p + "att_soft", axis=-1)
        o = node("MatMul", [att, v], p + "o")
        o = node("Transpose", [o], p + "o_t", perm=[0, 2, 1, 3])
        o = node("Reshape", [o, merge_shape], p + "o_merged")
        o = node("MatMul", [o, weight(p + "proj", (width, width))], p + "proj_out")
        x = node("Add", [x, o], p + "res1")
        h = node("LayerNormalization", [x, const(p + "ln2_g", np.ones(width), np.float32),
                                        const(p + "ln2_b", np.zeros(width), np.float32)], p + "ln2", axis=-1)
        h = node("MatMul", [h, weight(p + "fc1", (width, mlp))], p + "fc1_out")
        # QuickGELU, x * sigmoid(1.702 x), as OpenAI's CLIP
        gate = node("Sigmoid", [node("Mul", [h, const(p + "gelu_k", [1.702], np.float32)], p + "gate_in")], p + "gate")
        h = node("Mul", [h, gate], p + "act")
        h = node("MatMul", [h, weight(p + "fc2", (mlp, width))], p + "fc2_out")
        x = node("Add", [x, h], p + "res2")
    cls = node("Gather", [x, const("first", 0)], "cls_out", axis=1)
    node("MatMul", [cls, weight("head", (width, embed))], "embedding")
    graph = helper.make_graph(
        nodes, "vit_b32_sized",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, embed])], init)
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="loupe-bench")
    write_json(os.path.join(out_dir, "config.json"), {"embed_dim": embed, "vision_cfg": {"image_size": size}})
    os.makedirs(os.path.join(out_dir, "visual"), exist_ok=True)
    onnx.save(model, os.path.join(out_dir, "visual", "model.onnx"))
    write_json(os.path.join(out_dir, "visual", "preprocess_cfg.json"), preprocess_cfg(size, "shortest"))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--vit-b32":
        vit_b32(sys.argv[2])
    else:
        write_tiny(HERE)
        write_fixture(HERE)
