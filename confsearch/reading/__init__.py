"""Reading the corpus: file bytes → documents, sessions, speakers, organisations and passages.

Every layout (web pages, PDF and Word programmes, news items, JSON lines) ends as the same
data model (:mod:`confsearch.reading.documents`); nothing here embeds or searches.
"""
