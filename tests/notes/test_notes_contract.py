"""The notes store's contract, run against every backend (SQLite file, PostgreSQL).

Whatever the backend: notes are created, listed (most recent first), read back whole
(items in order with their copied text and citation, comments, heading, questions),
edited atomically (a failing edit saves nothing; edits from two threads are never lost),
renamed, duplicated and deleted; a second store object on the same database (a restart)
sees everything.
"""

from __future__ import annotations

import threading

import pytest

from confsearch.answers.briefing import BriefingNote, NoteItem
from confsearch.notes import NoteNotFound, duplicate, missing_passages, rename, valid_id

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.process)]


def make_store(kind: str, request, tmp_path):
    if kind == "sqlite":
        from confsearch.notes.sqlite import SqliteNotes

        return SqliteNotes(tmp_path / "data" / "anteckningar.sqlite3")
    from confsearch.notes.postgres import PostgresNotes

    return PostgresNotes(request.getfixturevalue("pg_url"), request.getfixturevalue("pg_schema"))


@pytest.fixture(params=BACKENDS)
def notes(request, tmp_path):
    store = make_store(request.param, request, tmp_path)
    yield store
    store.close()


@pytest.fixture
def reopen(request, tmp_path):
    """A second store object on the same database: what a restarted server opens."""

    def again(store):
        if store.name == "sqlite":
            from confsearch.notes.sqlite import SqliteNotes

            return SqliteNotes(store.path)
        from confsearch.notes.postgres import PostgresNotes

        return PostgresNotes(request.getfixturevalue("pg_url"), store.schema)

    return again


def item(n: int, comment: str = "") -> NoteItem:
    return NoteItem(
        passage_id=f"p{n:04d}",
        text=f"Stycke {n} om cykelbibliotek i Region Värmland.\nAndra raden <b>*fet*</b>.",
        session=f"Lärpass {n % 3}",
        regions=["Region Värmland", "Region Skåne"],
        speakers=["Anna Andersson"],
        source=f"dokument-{n}.txt",
        query="Vilken region har ett cykelbibliotek?",
        comment=comment,
        document={"title": "Årskonferens 2022", "organiser": "Reglab", "when": "2022"},
    )


def test_create_get_and_list(notes):
    assert notes.list() == []
    a = notes.create("Möte med nämnden")
    assert valid_id(a.id) and a.name == "Möte med nämnden" and len(a.note) == 0
    b = notes.create()  # a default name with the date
    assert b.name.startswith("Anteckning ") and " kl. " in b.name and b.id != a.id
    got = notes.get(a.id)
    assert got is not None and got.to_dict() == a.to_dict()
    assert [s.id for s in notes.list()] == [b.id, a.id]  # most recently changed first
    notes.edit(a.id, lambda s: s.note.add_question("Hur?"))
    listed = notes.list()
    assert [s.id for s in listed] == [a.id, b.id]
    assert listed[0].name == "Möte med nämnden" and listed[0].items == 0


def test_unknown_and_malformed_ids(notes):
    for bad in ("finnsinte-alls-1234", "", "../../etc/passwd", "x" * 500, "a b c d e f g h"):
        assert notes.get(bad) is None
        assert notes.delete(bad) is False
        with pytest.raises(NoteNotFound):
            notes.edit(bad, lambda s: None)


def test_a_note_reads_back_whole_in_order(notes, reopen):
    stored = notes.create("Underlag")

    def fill(s):
        s.note.heading = "Cykling i regionerna"
        s.note.intro = "Till nämnden.\nAndra raden."
        for n in (3, 1, 2):
            s.note.add_item(item(n, comment=f"kommentar {n}"))

    notes.edit(stored.id, fill)
    notes.edit(stored.id, lambda s: s.note.move("p0002", -2))
    notes.edit(stored.id, lambda s: s.note.set_comment("p0001", "ändrad – «citat»"))
    again = reopen(notes).get(stored.id)
    assert again is not None
    assert [i.passage_id for i in again.note.items] == ["p0002", "p0003", "p0001"]
    assert again.note.heading == "Cykling i regionerna"
    assert again.note.intro == "Till nämnden.\nAndra raden."
    assert again.note.questions == ["Vilken region har ett cykelbibliotek?"]
    by_id = {i.passage_id: i for i in again.note.items}
    assert by_id["p0001"].comment == "ändrad – «citat»"
    assert vars(by_id["p0003"]) == vars(item(3, comment="kommentar 3"))
    assert by_id["p0002"].citation() == item(2).citation()
    assert again.revision == 4 and again.updated > again.created


def test_a_failing_edit_saves_nothing(notes):
    stored = notes.create("X")
    notes.edit(stored.id, lambda s: s.note.add_item(item(1)))

    def broken(s):
        s.note.add_item(item(2))
        s.note.heading = "halvfärdig"
        raise RuntimeError("mitt i ändringen")

    with pytest.raises(RuntimeError):
        notes.edit(stored.id, broken)
    got = notes.get(stored.id)
    assert [i.passage_id for i in got.note.items] == ["p0001"] and got.note.heading != "halvfärdig"
    assert got.revision == 2


def test_concurrent_edits_are_never_lost(notes):
    """Two tabs (threads) pinning into one note at the same time: every pin is kept."""
    stored = notes.create("Delad")
    per_thread = 15

    def worker(offset: int) -> None:
        for n in range(per_thread):
            notes.edit(stored.id, lambda s, n=n: s.note.add_item(item(offset + n)))

    threads = [threading.Thread(target=worker, args=(o,)) for o in (0, 100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = notes.get(stored.id)
    assert len(got.note) == 2 * per_thread and got.revision == 1 + 2 * per_thread


def test_rename_duplicate_delete(notes, reopen):
    stored = notes.create("Första")
    notes.edit(stored.id, lambda s: s.note.add_item(item(7, "min kommentar")))
    renamed = rename(notes, stored.id, "  Nytt\nnamn  ")
    assert renamed.name == "Nytt namn"
    assert rename(notes, stored.id, "   ").name == "Nytt namn"  # an empty name keeps the old
    copy = duplicate(notes, stored.id)
    assert copy.id != stored.id and copy.name == "Kopia av Nytt namn"
    assert copy.note.to_dict() == notes.get(stored.id).note.to_dict()
    notes.edit(copy.id, lambda s: s.note.remove("p0007"))
    assert len(notes.get(stored.id).note) == 1  # the original is untouched
    assert notes.delete(stored.id) is True
    assert notes.delete(stored.id) is False
    assert notes.get(stored.id) is None
    assert [s.id for s in reopen(notes).list()] == [copy.id]
    with pytest.raises(NoteNotFound):
        duplicate(notes, stored.id)
    with pytest.raises(NoteNotFound):
        rename(notes, stored.id, "x")


def test_a_given_note_is_stored_as_given(notes):
    note = BriefingNote(heading="Rubrik", intro="Rad")
    note.add_item(item(1))
    stored = notes.create("Med innehåll", note)
    assert notes.get(stored.id).note.to_dict() == note.to_dict()


def test_missing_passages_are_named():
    note = BriefingNote()
    for n in (1, 2, 3):
        note.add_item(item(n))
    known = {"p0001", "p0003"}
    assert missing_passages(note, lambda pid: pid if pid in known else None) == {"p0002"}


def test_settings_choose_where_notes_live(tmp_path):
    from pathlib import Path

    from confsearch.notes import open_notes
    from confsearch.settings import Settings

    default = Settings.from_env({}).notes_db
    assert default.parts[-2:] == ("konferenssok", "anteckningar.sqlite3")
    chosen = Settings.from_env({"CONFSEARCH_NOTES_DB": str(tmp_path / "n.sqlite3")})
    assert chosen.notes_db == Path(tmp_path / "n.sqlite3")
    assert open_notes(chosen).name == "sqlite" and open_notes(chosen).location == str(
        tmp_path / "n.sqlite3"
    )
    pg = Settings.from_env(
        {
            "CONFSEARCH_DATABASE_URL": "postgresql://u@db.example/k",
            "CONFSEARCH_DATABASE_SCHEMA": "s",
        }
    )
    store = open_notes(pg)  # nothing is connected until the first use
    assert store.name == "postgres" and store.schema == "s"
    assert not (tmp_path / "n.sqlite3").exists()  # opening a store creates nothing


def test_an_unusable_notes_file_is_a_swedish_error_without_its_path(tmp_path):
    from confsearch.notes import NotesError
    from confsearch.notes.sqlite import SqliteNotes

    broken = tmp_path / "trasig.sqlite3"
    broken.write_bytes(b"inte en databas" * 100)
    blocked = tmp_path / "fil"
    blocked.write_text("en fil, ingen mapp")
    for path in (broken, blocked / "under" / "anteckningar.sqlite3"):
        with pytest.raises(NotesError) as caught:
            SqliteNotes(path).list()
        message = str(caught.value)
        assert message.startswith("Anteckningarna kan inte läsas eller sparas just nu.")
        assert str(tmp_path) not in message and "Error" not in message
    assert broken.read_bytes() == b"inte en databas" * 100  # never overwritten
