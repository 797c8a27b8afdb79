"""The HTTP API (``python -m confsearch serve``): routes, their documented contract,
admission control and the server.
"""
