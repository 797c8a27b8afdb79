"""Konferenssök: semantic search and question answering over Swedish conference texts."""

__version__ = "0.1.0"
