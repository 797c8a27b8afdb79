"""The page's saved note through ``streamlit.testing.v1.AppTest`` (real model, like
tests/web/test_app.py): a reload (a new session opening the address) finds the pins, their
order, comments and heading; a second tab on the same link edits the same note without
losing the first tab's edits; ``?q=`` asks the question; a passage gone from the index is
marked; a note deleted meanwhile, or a notes database that cannot be used, loses nothing
already typed and says so in Swedish."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from confsearch.answers.briefing import NoteItem
from confsearch.notes.sqlite import SqliteNotes
from confsearch.settings import Settings
from confsearch.web import notes as notepage
from tests.page_driver import APP, QUESTION, RUN_TIMEOUT, ask


def opened(**params: str) -> AppTest:
    """A new browser session on the page's address with these query parameters."""
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def pin_next(at: AppTest) -> str:
    key = next(
        b.key for b in at.button if b.key and b.key.startswith("fast-") and b.label == "Fäst"
    )
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return key.removeprefix("fast-")


def notes_store() -> SqliteNotes:
    return SqliteNotes(Settings.from_env().notes_db)


def test_a_reload_finds_the_whole_note(env):
    at = ask(opened(), QUESTION)
    assert at.query_params["q"] == [QUESTION] or at.query_params["q"] == QUESTION
    assert "note" not in at.query_params  # opening and searching save nothing
    pids = [pin_next(at) for _ in range(3)]
    note_id = at.session_state["note_id"]
    assert at.query_params["note"] in (note_id, [note_id])
    at.text_input(key=f"kommentar-{pids[1]}").input("Ta med till nämnden.").run()
    at.text_input(key="note_heading").input("Cykling i regionerna").run()
    at.button(key=f"upp-{pids[2]}").click().run()
    assert not at.exception

    again = opened(note=note_id)  # F5: a new session on the same address
    note = again.session_state["note"]
    assert [i.passage_id for i in note.items] == [pids[0], pids[2], pids[1]]
    assert (
        note.heading == "Cykling i regionerna" and note.items[2].comment == "Ta med till nämnden."
    )
    assert note.questions == [QUESTION]
    assert again.text_input(key="note_heading").value == "Cykling i regionerna"
    assert again.text_input(key=f"kommentar-{pids[1]}").value == "Ta med till nämnden."
    stored = notes_store().get(note_id)
    assert stored.note.to_dict() == note.to_dict()


def test_two_tabs_on_one_link_keep_both_edits(env):
    first = ask(opened(), QUESTION)
    a = pin_next(first)
    note_id = first.session_state["note_id"]
    second = ask(opened(note=note_id), "Vad är en projektkyrkogård?")
    b = pin_next(second)
    first.text_input(key=f"kommentar-{a}").input("Från första fliken.").run()
    assert [i.passage_id for i in first.session_state["note"].items] == [a, b]
    second.run()  # the second tab's next run shows the first tab's comment
    items = second.session_state["note"].items
    assert [i.passage_id for i in items] == [a, b] and items[0].comment == "Från första fliken."
    assert second.text_input(key=f"kommentar-{a}").value == "Från första fliken."


def test_the_question_in_the_address_is_asked(env):
    at = opened(q="cykelbibliotek")
    assert at.text_input(key="query").value == "cykelbibliotek"
    assert any('class="ks-card"' in m.value for m in at.markdown)
    # A question longer than the box takes is cut to the box's limit, never an error.
    at = opened(q="cykel " * 600)
    assert len(at.text_input(key="query").value) == notepage.MAX_URL_QUESTION
    # ... and the page says so, instead of cutting silently.
    cut = [w.value for w in at.warning if w.value.startswith("Frågan är för lång")]
    assert cut and "högst 2\u00a0000 tecken" in cut[0]


def test_back_and_forward_change_the_question_in_the_address(env):
    """Back/Forward change the address and Streamlit reruns with it: the page asks the
    address's question; an address without one (the first page) clears it."""
    at = opened()
    ask(at, QUESTION)
    assert at.query_params["q"] in (QUESTION, [QUESTION])
    at = ask(at, "cykelbibliotek")
    at.query_params["q"] = QUESTION  # Back
    at.run()
    assert at.text_input(key="query").value == QUESTION
    assert at.session_state["asked"]
    at.query_params["q"] = "cykelbibliotek"  # Forward
    at.run()
    assert at.text_input(key="query").value == "cykelbibliotek"
    del at.query_params["q"]  # Back to the page before any search
    at.run()
    assert at.text_input(key="query").value == "" and not at.session_state["asked"]
    assert not any('class="ks-card"' in m.value for m in at.markdown)


def test_a_passage_gone_from_the_index_is_marked(env):
    store = notes_store()
    stored = store.create("Gammal")
    gone = NoteItem(
        passage_id="0000000000000000",
        text="Ett stycke ur en äldre version av texterna.",
        session="Ett borttaget lärpass",
        regions=[],
        speakers=[],
        source="borta.txt",
        query="",
    )
    store.edit(stored.id, lambda s: s.note.add_item(gone))
    at = opened(note=stored.id)
    assert any(c.value == notepage.MISSING_PASSAGE for c in at.caption)
    assert any("Ett stycke ur en äldre version av texterna." in m.value for m in at.markdown)


def test_an_unknown_note_starts_a_new_one(env):
    at = opened(note="finnsinteallsxyz")
    assert [w.value for w in at.warning] == [notepage.GONE]
    assert "note" not in at.query_params and not at.session_state["note"].items
    ask(at, QUESTION)
    pin_next(at)
    assert notes_store().get(at.session_state["note_id"]) is not None


def test_several_notes_open_rename_copy_delete(env):
    at = ask(opened(), QUESTION)
    pid = pin_next(at)
    first = at.session_state["note_id"]
    assert at.session_state["_note_file_stem"] == ""  # default name: "anteckning-<day>"
    at.text_input(key="anteckning-namn").input("Cykelnoten").run()
    assert notes_store().get(first).name == "Cykelnoten"
    # downloads are named after the name she gave it, with the day
    assert at.session_state["_note_file_stem"] == "Cykelnoten"
    at.button(key="anteckning-kopiera").click().run()
    copy = at.session_state["note_id"]
    assert copy != first and notes_store().get(copy).name == "Kopia av Cykelnoten"
    assert [i.passage_id for i in at.session_state["note"].items] == [pid]
    at.button(key="anteckning-ny").click().run()
    assert "note_id" not in at.session_state and not at.session_state["note"].items
    at.button(key=f"oppna-{first}").click().run()
    assert at.session_state["note_id"] == first and len(at.session_state["note"].items) == 1
    at.button(key="anteckning-bort").click().run()
    assert notes_store().get(first) is None and notes_store().get(copy) is not None
    assert "note_id" not in at.session_state
    assert not at.exception


def test_a_broken_notes_database_keeps_the_edit_in_the_tab(env, tmp_path, monkeypatch):
    broken = tmp_path / "trasig.sqlite3"
    broken.write_bytes(b"inte en databas" * 100)
    monkeypatch.setenv("CONFSEARCH_NOTES_DB", str(broken))
    at = ask(opened(), QUESTION)
    pid = pin_next(at)
    assert [i.passage_id for i in at.session_state["note"].items] == [pid]
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("Ändringen kunde inte sparas: Anteckningarna kan inte")
    assert str(tmp_path) not in errors[0]
