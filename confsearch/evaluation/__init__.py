"""Evaluation: ranking, answers and reading measured against question sets and answer keys."""
