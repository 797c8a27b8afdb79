"""The use cases: search, ask, regions, brief, the documents listing and taking a document
out or putting a new version in its place (``remove``, ``replace``), one way each.

Saved notes (:mod:`confsearch.notes`) are stored and edited there; their wire format
(``/notes``) is :class:`SavedNoteResult` and :class:`NotesListResult` here.

The CLI, the HTTP API and the page only parse input and render output; the question
travels from a :class:`Question` (text, filters, ``k``) through the functions here to a
typed result. Each result has one ``to_json()``: the wire format of ``search --json``,
``ask --json``, ``/search``, ``/ask``, ``/regions``, ``POST /brief`` and ``documents
--json`` lives here and nowhere else, and ``confsearch.api.docs`` describes exactly
these keys (tests/test_qa.py checks them against the response models). So a filter works
the same in all three front ends, and the three say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from confsearch.answers import asking
from confsearch.answers.answer import Answer, format_answer, source_line
from confsearch.answers.briefing import (
    DEFAULT_HEADING,
    BriefingNote,
    NoteItem,
    note_from_answer,
    note_from_passage,
    to_markdown,
)
from confsearch.answers.briefing import brief as brief_note
from confsearch.answers.citation import Source, sources
from confsearch.answers.labels import cited_labels, label_hits
from confsearch.answers.wordnote import to_docx
from confsearch.messages import NO_REGIONS_WITH_EVIDENCE, count_noun
from confsearch.notes import NoteSummary, StoredNote
from confsearch.reading import corpusfiles
from confsearch.reading.doclisting import format_listing, list_documents
from confsearch.retrieval.index import BuildReport
from confsearch.retrieval.search import Hit, RegionResult, Searcher, SearchResponse, regions_of
from confsearch.retrieval.service import refresh_index
from confsearch.settings import Settings

UNKNOWN_PASSAGES = "Stycket finns inte i sökindexet (sök igen och fäst det på nytt): {ids}."


@dataclass(frozen=True)
class Question:
    """What every use case is asked: the question (cleaned by
    :func:`confsearch.query.clean_query` where the front end reads it), the filters and
    how many hits."""

    text: str
    k: int = 5
    region: str | None = None
    session: str | None = None


def hit_json(hit: Hit) -> dict:
    """One card on the wire (``hits`` of ``search --json`` and ``/search``)."""
    p = hit.passage
    return {
        "rank": hit.rank,
        "score": round(float(hit.score), 4),
        "doc_id": p.doc_id,
        "passage_id": p.id,
        "session": p.session,
        "region": p.regions[0] if p.regions else "",
        "regions": list(p.regions),
        "speakers": list(p.speakers),
        "text": p.text,
        "source": p.source,
        "label": hit.label,
        "matched": list(hit.matched_forms),
    }


# ---------------------------------------------------------------- search


def refused_json(query: str | None, message: str) -> dict:
    """The object of a question that cannot be searched (``search --json`` per line, and
    ``/search``'s 400 body): the query as given, no hits, the Swedish reason."""
    return {"query": query, "hits": [], "error": message}


@dataclass
class SearchResult:
    response: SearchResponse

    def to_json(self) -> dict:
        """The ``search --json`` contract: query, hits, and since issue 8 ``confident``
        (exactly when the page shows an answer) and ``missing``."""
        r = self.response
        return {
            "query": r.query,
            "confident": r.confident,
            "missing": list(r.missing),
            "hits": [hit_json(h) for h in r.hits],
        }


def search(searcher, q: Question) -> SearchResult:
    """The cards of a question, with their relevance words. Raises
    :class:`confsearch.query.QueryError` for an unusable question or filter."""
    response = searcher.search(q.text, k=q.k, region=q.region, session=q.session)
    return SearchResult(label_hits(response, searcher.config))


# ---------------------------------------------------------------- ask


@dataclass
class AskResult:
    response: SearchResponse
    answer: Answer
    filtered_out: bool  # a filter hides an answer that exists without it
    sources: dict[str, Source]  # doc_id -> how to cite it
    labels: list[str] = field(default_factory=list)  # the cards' words, answer known

    def text(self) -> str:
        """``python -m confsearch ask``: the answer as plain text."""
        return format_answer(self.answer, self.sources)

    def quoted(self) -> dict[int, list[str]]:
        """The answer's sentences by card number (what the page highlights)."""
        out: dict[int, list[str]] = {}
        for s in self.answer.sentences:
            out.setdefault(s.citation, []).append(s.text)
        return out

    def note_item(self) -> NoteItem:
        """The answer to pin in a note: its sentences with their passages' citations."""
        pairs = [(s.text, self._citation(s.hit)) for s in self.answer.sentences]
        return note_from_answer(self.response.query, pairs)

    def _citation(self, hit: Hit) -> str:
        return source_line(hit, self.sources.get(hit.passage.doc_id))

    def to_json(self) -> dict:
        """The ``ask --json`` and ``/ask`` contract: ``answer`` (sentences with ``text``,
        ``passage_id`` and ``cites``, the card numbers), ``confident``, ``missing``,
        ``reason`` (why there is no answer, in Swedish; "" when there is one),
        ``sources`` (the cards cited, with their labels), ``filtered_out``, and the
        fields ``/ask`` had before (``text``, ``message``, ``sentences``, ``hits``)."""
        response, ans = self.response, self.answer
        cited = sorted({s.citation for s in ans.sentences})
        by_rank = {h.rank: h for h in response.hits}
        answer = [
            {"text": s.text, "passage_id": s.hit.passage.id, "cites": [s.citation]}
            for s in ans.sentences
        ]
        return {
            "query": response.query,
            "answer": answer,
            "confident": ans.confident,
            "missing": list(response.missing),
            "reason": "" if ans.confident else ans.message,
            "sources": [
                {
                    **hit_json(by_rank[n]),
                    "cites": n,
                    "citation": self._citation(by_rank[n]),
                }
                for n in cited
                if n in by_rank
            ],
            "filtered_out": self.filtered_out,
            "text": self.text(),
            "message": ans.message,
            "sentences": [{"text": s["text"], "citation": s["cites"][0]} for s in answer],
            "hits": [hit_json(h) for h in response.hits],
        }


def ask(searcher, q: Question) -> AskResult:
    """Search and answer (:func:`confsearch.answers.asking.ask`: a filter that hides the
    answer is named); the cards' labels are those of the answer (cited cards never
    weaker than uncited ones). Raises :class:`confsearch.query.QueryError`."""
    asked = asking.ask(searcher, q.text, q.k, region=q.region, session=q.session)
    label_hits(asked.response, searcher.config)
    labels = cited_labels(asked.response, asked.answer)
    for h, label in zip(asked.response.hits, labels, strict=True):
        h.label = label
    cited = sources(searcher.index.manifest.documents)
    return AskResult(asked.response, asked.answer, asked.outside is not None, cited, labels)


# ---------------------------------------------------------------- regions


@dataclass
class RegionsResult:
    query: str
    regions: list[RegionResult]

    def to_json(self) -> dict:
        """The ``/regions`` object (``message``: why the list is empty, else null)."""
        return {
            "query": self.query,
            "message": None if self.regions else NO_REGIONS_WITH_EVIDENCE,
            "regions": [
                {
                    "region": r.region,
                    "score": round(float(r.score), 4),
                    "passages": r.passages,
                    "sessions": list(r.sessions),
                    "best": hit_json(r.best),
                }
                for r in self.regions
            ],
        }


def regions(searcher, q: Question) -> RegionsResult:
    """Which regions/organisations worked on the topic
    (:func:`confsearch.retrieval.search.regions_of`), within the filters."""
    pool = searcher.region_pool(q.text, region=q.region, session=q.session)
    label_hits(pool, searcher.config)
    return RegionsResult(q.text, regions_of(pool, q.k))


# ---------------------------------------------------------------- brief


@dataclass(frozen=True)
class Pin:
    passage_id: str
    question: str = ""
    comment: str = ""


@dataclass(frozen=True)
class BriefRequest:
    questions: Sequence[str] = ()  # cleaned
    k: int = 3
    region: str | None = None
    session: str | None = None
    heading: str = DEFAULT_HEADING
    intro: str = ""
    pinned: Sequence[Pin] = ()


class UnknownPassages(LookupError):
    """A pinned passage is not in the index (any more); the message is Swedish."""

    def __init__(self, ids: Sequence[str]) -> None:
        shown = ", ".join(f"«{i}»" for i in dict.fromkeys(ids))
        super().__init__(UNKNOWN_PASSAGES.format(ids=shown))
        self.ids = list(ids)


@dataclass
class BriefResult:
    note: BriefingNote

    def markdown(self) -> str:
        return to_markdown(self.note)

    def docx(self) -> bytes:
        return to_docx(self.note)

    def to_json(self) -> dict:
        """The ``POST /brief`` object: the note and its Markdown."""
        return {**self.note.to_dict(), "markdown": self.markdown()}


def brief(searcher, req: BriefRequest, check: Callable[[], None] | None = None) -> BriefResult:
    """Pinned passages first (in the given order, with comments), then the best passages
    of each question as :func:`confsearch.answers.briefing.brief` picks them. One
    question at a time (a question's vectors do not depend on the others), so that
    ``check`` (the API's "has the client gone?") can stop the work between questions.
    Raises :class:`UnknownPassages` for a pin the index does not have."""
    index = searcher.index
    missing = [p.passage_id for p in req.pinned if index.passage(p.passage_id) is None]
    if missing:
        raise UnknownPassages(missing)
    auto = BriefingNote()
    for q in req.questions:
        if check is not None:
            check()
        one = brief_note(searcher, [q], k=req.k, region=req.region, session=req.session)
        for asked in one.questions:
            auto.add_question(asked)
        for item in one.items:
            auto.add_item(item)
    note = BriefingNote(heading=req.heading, intro=req.intro)
    for q in auto.questions:
        note.add_question(q)
    for pin in req.pinned:
        p = index.passage(pin.passage_id)
        note.add_item(note_from_passage(p, " ".join(pin.question.split()), comment=pin.comment))
    for item in auto.items:
        note.add_item(item)
    return BriefResult(note)


# ---------------------------------------------------------------- documents


@dataclass
class DocumentsResult:
    documents: list[dict]
    problems: list[str]

    def text(self) -> str:
        """``python -m confsearch documents``: the listing (problems go to stderr)."""
        return format_listing(self.documents)

    def to_json(self) -> dict:
        return {"documents": self.documents, "problems": self.problems}


def documents(corpus: Path) -> DocumentsResult:
    """How each document of the corpus folder was read (title, organiser, sessions …)."""
    docs, problems = list_documents(corpus)
    return DocumentsResult(docs, problems)


@dataclass
class CorpusChange:
    """A document taken out or replaced, and the index after it (None: it was current)."""

    done: str  # what happened to the files (Swedish)
    report: BuildReport | None

    def text(self) -> str:
        r = self.report
        if r is None:
            return self.done + "\n"
        count = f"{count_noun(r.passages, 'stycke', 'stycken')} från "
        count += count_noun(r.documents, "dokument", "dokument")
        reused = " Inget behövde bäddas in på nytt." if r.embedded == 0 else ""
        return f"{self.done}\nSökindexet har nu {count}.{reused}\n"


def remove(settings: Settings, name: str) -> CorpusChange:
    """Take the corpus file ``name`` out (kept in .borttagna/) and update the index."""
    moved = corpusfiles.remove_document(settings.corpus_dir, name)
    done = f"{name} togs bort ur korpusen (filen sparades i {moved.parent})."
    return CorpusChange(done, refresh_index(settings))


def replace(settings: Settings, name: str, new_name: str, data: bytes) -> CorpusChange:
    """Put a new version (``new_name``, ``data``) in place of the corpus file ``name`` and
    update the index. The old file is kept in .borttagna/; if the new one is refused or
    the index cannot be updated, the old one is put back (the error says why)."""
    built: list[BuildReport | None] = []

    def rebuild() -> bool:
        built.append(refresh_index(settings))
        return True

    done = corpusfiles.replace_document(settings.corpus_dir, name, new_name, data, rebuild)
    where = f"den gamla versionen sparades i {done.old.parent}"
    return CorpusChange(f"{name} är ersatt av {new_name} ({where}).", built[0])


# ---------------------------------------------------------------- saved notes


@dataclass
class SavedNoteResult:
    stored: StoredNote
    searcher: Searcher | None = None  # None while the index loads

    def to_json(self) -> dict:
        """A saved note as ``/notes`` shows it: each pin with its citation and whether the
        current index still has its passage (``in_index``; None while the index loads)."""
        index = self.searcher.index if self.searcher is not None else None
        out = self.stored.to_dict()
        out["items"] = [
            {
                **item_dict,
                "citation": item.citation(),
                "in_index": None if index is None else index.passage(item.passage_id) is not None,
            }
            for item, item_dict in zip(self.stored.note.items, out["items"], strict=True)
        ]
        return out


@dataclass
class NotesListResult:
    notes: list[NoteSummary]

    def to_json(self) -> dict:
        """``GET /notes``: every note's line in the list, as the store orders them."""
        return {"notes": [vars(s) for s in self.notes]}
