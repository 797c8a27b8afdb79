"""Retrieval: Swedish analysis for BM25, the index and its stores, hybrid search, grounding
and the evidence that decides between an answer and "no clear answer".
"""
