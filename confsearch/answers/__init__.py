"""Answers: the sentences that answer a question, their citations, and briefing notes
(Markdown and Word). Built on retrieval's hits; knows nothing of a front end.
"""
