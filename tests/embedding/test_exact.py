"""The numpy float32 forward pass computes what sentence-transformers computes."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from confsearch.embedding.exact import ExactEncoder, _erf
from confsearch.evaluation import evaluate
from tests.conftest import ROOT


def test_erf_is_accurate_to_float32():
    xs = np.linspace(-6, 6, 2001, dtype=np.float32)
    want = np.array([math.erf(float(x)) for x in xs])
    assert np.abs(_erf(xs) - want).max() < 2e-7


def test_same_vectors_as_sentence_transformers_float32(real_embedder):
    exact = ExactEncoder(real_embedder.path)
    questions = [q["query"] for q in evaluate.load_set("old")][:30]
    questions += ["", "<s> </s> <unk>", "Hur arbetar regionerna med cykling? " * 120]
    ours = exact.encode([real_embedder.query_prompt + q for q in questions])
    theirs = real_embedder.encode_queries(questions)
    cos = (ours * theirs).sum(axis=1)
    print(f"\ncosine exact vs sentence-transformers float32: min {cos.min():.8f}")
    assert cos.min() > 0.99999
    assert np.abs(ours - theirs).max() < 1e-5


@pytest.mark.process
def test_the_exact_encoder_needs_no_torch(real_embedder):
    script = (
        "import sys\n"
        "from confsearch.embedding.exact import ExactEncoder\n"
        f"v = ExactEncoder({str(real_embedder.path)!r}).encode(['query: cykelbibliotek'])\n"
        "assert abs(float((v * v).sum()) - 1) < 1e-5\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
