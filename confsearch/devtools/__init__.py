"""Developer tools: helpers for running the project locally and in tests, not used by the
product at run time.
"""
