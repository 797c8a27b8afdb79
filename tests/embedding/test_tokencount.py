"""The query-sized token counter equals the full converted tokenizer, text for text."""

from __future__ import annotations

import json
import random

import pytest

from confsearch.embedding.tokencount import FILES, TokenCounter, write_query_tokenizer
from tests.conftest import REAL_CORPUS, ROOT


def _random_texts(alphabet: list[str], n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(n)]


def _small_unigram(path):
    """A unigram tokenizer shaped like the converted one (specials 0-3, metaspace)."""
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    pieces = ["▁", "a", "b", "c", "ab", "bc", "abc", "▁a", "▁ab", "ca", "å", "▁å", "åa", "<", ">"]
    rnd = random.Random(3)
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", -10000.0)]
    vocab += [(p, -rnd.uniform(1, 12)) for p in pieces]
    tok = Tokenizer(Unigram(vocab, 3, False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    tok.save(str(path))
    return tok


def test_counts_equal_a_small_full_tokenizer(tmp_path):
    full = _small_unigram(tmp_path / "tokenizer.json")
    full.encode_special_tokens = True
    write_query_tokenizer(tmp_path / "tokenizer.json", tmp_path)
    assert all((tmp_path / f).is_file() for f in FILES)
    counter = TokenCounter(tmp_path)
    texts = _random_texts([*"abcå <>x  ", "<s>", "</s>"], 2000)
    diffs = [t for t in texts if counter.count(t) != len(full.encode(t).ids)]
    assert diffs == []
    assert counter.count("abc abc") == len(full.encode("abc abc").ids) > 2


def test_a_piece_with_a_nul_byte_is_refused(tmp_path):
    spec = {
        "model": {
            "type": "Unigram",
            "unk_id": 3,
            "vocab": [["<s>", 0], ["<pad>", 0], ["</s>", 0], ["<unk>", -1], ["a\u0000b", -2]],
        }
    }
    (tmp_path / "tokenizer.json").write_text(json.dumps(spec))
    with pytest.raises(ValueError, match="NUL"):
        write_query_tokenizer(tmp_path / "tokenizer.json", tmp_path)


def _real_texts() -> list[str]:
    texts: list[str] = []
    for f in sorted((ROOT / "tests" / "eval").glob("*.jsonl")):
        texts += [json.loads(line)["query"] for line in f.read_text("utf-8").splitlines() if line]
    swefaq = ROOT / "bench" / "data" / "swefaq" / "swefaq_dev.jsonl"
    for line in swefaq.read_text("utf-8").splitlines()[:300]:
        row = json.loads(line)
        texts += [row["question"], *row["candidate_answers"][:2]]
    corpus = (REAL_CORPUS / "arskonferens-2022-larpass.txt").read_text("utf-8")
    texts += [p for p in corpus.split("\n") if p.strip()]
    code_points = [
        *range(0x20, 0x250), *range(0x370, 0x3FF), *range(0x4E00, 0x4E40),
        0x1F600, 0x1F680, 0x200B, 0xFEFF, 0xA0, 0x2028, 0x301, 0x308, 0xFB01, 0x2163, 0xFF21,
        0x3000, 0x9, 0xA, 0xD,
    ]  # fmt: skip
    texts += _random_texts([chr(c) for c in code_points], 3000)
    texts += ["", "<s>", "a <mask> b", "</s></s>", "  mellan   rum ", "x" * 3000, "ﬁnans", "Ⅳ"]
    return texts


def test_counts_equal_the_converted_tokenizer_and_sentence_transformers(real_embedder):
    from tokenizers import Tokenizer

    folder = real_embedder.path
    counter = TokenCounter(folder)
    full = Tokenizer.from_file(str(folder / "tokenizer.json"))
    full.no_truncation()
    full.encode_special_tokens = True
    st = real_embedder.model.tokenizer
    texts = _real_texts()
    assert len(texts) > 3500
    diffs = []
    for i, text in enumerate(texts):
        mine = counter.count("query: " + text)
        if mine != len(full.encode("query: " + text).ids):
            diffs.append(("tokenizers", text[:60]))
        if i % 5 == 0 and mine != len(st("query: " + text)["input_ids"]):
            diffs.append(("sentence-transformers", text[:60]))
    assert diffs == []
