"""A build publishes only what it meant to publish.

A corpus folder moved away for a second during a build of 2,000 files once published an
index of 1 to 1,020 of them, with exit 0, and ``--if-stale`` then called it current. Two
rules stop that (:func:`check_complete`, run just before a version is published, by every
backend and every builder – ``embed.py``, the page's uploads, PostgreSQL ingests):

* the fingerprint stored with a version is that of the files as they were read
  (``CorpusResult.files``), so a corpus that changed during the build is stale after it;
* a build whose corpus vanished, or lost a large share of its files while being read, or
  that has far fewer documents than the live version of the same corpus, is refused:
  the live version stays and the user is told in Swedish. A corpus that really shrank is
  confirmed with ``embed.py --allow-shrink``.
"""

from __future__ import annotations

from pathlib import Path

from confsearch import messages
from confsearch.fsutil import display_name, folder_label
from confsearch.reading import docmeta
from confsearch.reading.corpus import corpus_files, file_stats
from confsearch.reading.documents import CorpusResult
from confsearch.retrieval.store import IndexError_, Manifest

# A build that saw this share of the corpus's files vanish while it read them (a folder
# moved away, a sync that emptied it for a moment) publishes nothing: what it read is a
# fragment, not the corpus. Files deleted one by one during a build stay far below it.
VANISHED_SHARE = 0.2
# A corpus with fewer than half the live version's documents replaces it only when the
# user confirms (``embed.py --allow-shrink``); small corpora may lose a few freely.
SHRINK_SHARE = 0.5
SHRINK_MIN_DOCUMENTS = 5


class CorpusShrank(IndexError_):
    """The build read much less than the corpus holds or held; nothing was published."""


def check_complete(
    corpus_dir: Path,
    result: CorpusResult,
    live: Manifest | None,
    *,
    allow_shrink: bool = False,
) -> None:
    """Refuse to publish a build of a corpus that vanished or lost a large share of its
    files while it was read, or that has far fewer documents than the live version of
    the same corpus (unless ``allow_shrink``). Raises :class:`CorpusShrank` (Swedish)."""
    shown = display_name(str(corpus_dir))
    if not Path(corpus_dir).is_dir():
        raise CorpusShrank(messages.CORPUS_GONE_DURING_BUILD.format(corpus=shown))
    now = {rel for rel, _, _ in file_stats(corpus_dir, corpus_files(corpus_dir))}
    lost = result.vanished + len(set(corpus_files_read(result)) - now)
    if lost and lost >= VANISHED_SHARE * max(result.listed, 1):
        raise CorpusShrank(
            messages.CORPUS_VANISHED_DURING_BUILD.format(
                lost=lost, listed=result.listed, corpus=shown
            )
        )
    if allow_shrink or live is None or live.corpus_dir != folder_label(corpus_dir):
        return
    before, after = len(live.documents), len(result.documents)
    if before - after >= SHRINK_MIN_DOCUMENTS and after < SHRINK_SHARE * before:
        raise CorpusShrank(messages.CORPUS_SHRANK.format(now=after, before=before))


def corpus_files_read(result: CorpusResult) -> list[str]:
    """The document files (not sidecars) among the files a build read."""
    return [rel for rel, _, _ in result.files if not docmeta.is_sidecar(Path(rel))]
