"""The web page's parts: cards, Swedish chrome, the shared searcher, index builds and the
saved note. ``app.py`` composes them; everything here is testable without a browser.
"""
