"""What is embedded for a passage, and the vectors and hubness search reads from it.

Each passage is embedded twice, with its session title and region as context and alone
(:func:`passage_vectors`), unless a vector for exactly that text and model is already
stored (the content-hash cache, as simonw/llm does). Hubness (see
:data:`GENERIC_QUERIES`) is computed here at build time, so loading computes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from confsearch.embedding.model import Embedder
from confsearch.reading.documents import Passage

Progress = Callable[[str, int, int], None]

# Content-free questions. Passages that are close to *all* of them (typically lists of
# questions) are "hubs" that steal the top rank from the passage that actually answers;
# search discounts their dense score by how much more hub-like they are than average.
GENERIC_QUERIES = (
    "Vad sades om detta?",
    "Hur kan man arbeta med det här?",
    "Vilken region gjorde detta?",
    "Vilka lärdomar finns?",
    "Hur kan regionen göra?",
    "Vad behöver man tänka på?",
    "Vad handlar lärpasset om?",
    "Hur gick det till?",
    "Vem berättade om det?",
    "Vad är viktigt att göra?",
    "What did they say about this?",
    "Which region worked on this?",
    "How can a region do this?",
    "What are the lessons learned?",
    "Hur kan vi samarbeta bättre?",
    "Vad saknas?",
)


def embed_text(p: Passage) -> str:
    """The passage with its session title (and region) as context, one of the two texts
    embedded per passage (see :func:`passage_vectors`).

    The title carries the topic that short quotes omit; the region lets "which region"
    questions match passages that never name the region themselves.
    """
    head = p.session
    if p.regions:
        head = f"{head} ({', '.join(p.regions)})"
    return f"{head}\n{p.text}" if head else p.text


def embedded_texts(p: Passage) -> tuple[str, str]:
    """The two texts embedded for a passage: with its context, and its text alone."""
    return embed_text(p), p.text


def passage_vectors(with_context: np.ndarray, alone: np.ndarray) -> np.ndarray:
    """The search vector of each passage: the mean of its two embeddings, not normalised,
    so its inner product with a query is exactly the mean of the two cosines.

    With the context a passage matches questions about its session or region that its
    text never names; alone, the context cannot drown a short quote's own content. The
    mean of both ranked best on the tuning sets (held-out dev Hit@1 0.955 vs 0.940 with
    context only and 0.925 text only; the old set and SweFAQ dev unchanged).
    """
    return ((with_context + alone) / 2).astype(np.float32)


def passage_keys(passages, embedder) -> list[str]:
    texts = dict.fromkeys(t for p in passages for t in embedded_texts(p))
    return [content_key(embedder.name, embedder.passage_prompt, t) for t in texts]


def encode_passages(
    passages: list[Passage],
    embedder: Embedder,
    cache: dict[str, np.ndarray] | None = None,
    *,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray], int]:
    """Search vectors of ``passages``, embedding only texts the cache lacks.

    Returns (vectors, embeddings by content key — the next build's cache, number of texts
    that needed the model).
    """
    cache = dict(cache or {})
    pairs = [embedded_texts(p) for p in passages]
    texts = list(dict.fromkeys(t for pair in pairs for t in pair))
    key_of = {t: content_key(embedder.name, embedder.passage_prompt, t) for t in texts}
    missing = [t for t in texts if key_of[t] not in cache]
    for start in range(0, len(missing), batch_size):
        chunk = missing[start : start + batch_size]
        encoded = embedder.encode_passages(chunk, batch_size=batch_size)
        for t, v in zip(chunk, encoded, strict=True):
            cache[key_of[t]] = v
        if progress:
            progress("embed", min(start + batch_size, len(missing)), len(missing))
    embeddings = {key_of[t]: cache[key_of[t]] for t in texts}
    if not pairs:
        return np.zeros((0, embedder.dim), np.float32), embeddings, len(missing)
    vectors = passage_vectors(
        np.stack([embeddings[key_of[a]] for a, _ in pairs]),
        np.stack([embeddings[key_of[b]] for _, b in pairs]),
    )
    return vectors, embeddings, len(missing)


def lexical_text(p: Passage) -> str:
    """Lexical view: passage text plus title, regions and speaker names (all searchable)."""
    extra = " ".join([p.session, *p.regions, *p.speakers])
    return f"{p.text}\n{extra}"


def content_key(model_name: str, prompt: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\x00{prompt}\x00{text}".encode()).hexdigest()[:32]


def compute_hubness(vectors: np.ndarray, embedder: Embedder) -> np.ndarray:
    """Per passage: mean cosine to content-free questions, centred on the corpus mean."""
    if not len(vectors):
        return np.zeros(0, dtype=np.float32)
    generic = embedder.encode_queries(list(GENERIC_QUERIES))
    hub = np.asarray(vectors @ generic.T, dtype=np.float32).mean(axis=1)
    return (hub - hub.mean()).astype(np.float32)
