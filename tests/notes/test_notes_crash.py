"""A process killed with SIGKILL while saving notes loses at most the edit in flight,
never a note: the store opens (SQLite: the file passes SQLite's own integrity check) and
every note in it is whole (every committed pin there with its full text, nothing
half-written). Run against both backends; on PostgreSQL the dead client's row lock must
not stay in the way of the next edit.

How the moments are chosen, without depending on timing: a child process saves pins one
edit at a time into three notes, as the page does (one ``edit`` per pin), and reports on
stdout each edit it has committed. It is killed

* at a moment chosen from that progress ("free": right after it reported save n, so
  while it is somewhere in the following saves);
* while it is held inside an edit, after the note was read and changed but before
  anything was written ("change");
* while it is held just before COMMIT, after the new note was written into the
  transaction ("commit": that edit must then be absent). SQLite: held in the statement
  trace when COMMIT starts; PostgreSQL: right after the UPDATE statement returned.

After each kill the saves it reported must all be there, at most one more (the one in
flight, and in "commit" none), and the next child keeps saving into the same file.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys

import pytest

from confsearch.notes.postgres import PostgresNotes
from confsearch.notes.sqlite import SqliteNotes
from tests.conftest import ROOT

pytestmark = pytest.mark.process

CHILD = r"""
import sys, time

import psycopg

from confsearch.answers.briefing import NoteItem
from confsearch.notes.postgres import PostgresNotes
from confsearch.notes.sqlite import SqliteNotes

backend, where, ids, mode = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
hold_at, start = int(sys.argv[5]), int(sys.argv[6])
current = [None]


def hold(what):
    print("HELD", current[0], what, flush=True)
    time.sleep(3600)


class Traced(SqliteNotes):
    def _connect(self):
        ctx = super()._connect()

        class Wrap:
            def __enter__(_):
                conn = ctx.__enter__()
                if mode == "commit":
                    conn.set_trace_callback(
                        lambda stmt: hold("commit")
                        if stmt.strip().upper() == "COMMIT" and current[0] == hold_at else None
                    )
                return conn

            def __exit__(_, *exc):
                return ctx.__exit__(*exc)

        return Wrap()


if backend == "sqlite":
    store = Traced(where)
else:
    url, schema = where.split("|")
    store = PostgresNotes(url, schema)
    execute = psycopg.Connection.execute

    def traced(self, query, *args, **kwargs):
        cur = execute(self, query, *args, **kwargs)
        text = query if isinstance(query, str) else query.as_string(self)
        if mode == "commit" and current[0] == hold_at and text.startswith("UPDATE"):
            hold("commit")  # the new note is written in the transaction, not committed
        return cur

    psycopg.Connection.execute = traced


def text(n):
    return f"Stycke {n}: " + ("cykelbibliotek i Region Värmland och kollektivtrafik. " * 80)


n = start
while True:
    current[0] = n

    def change(stored, n=n):
        stored.note.add_item(NoteItem(
            passage_id=f"p{n:05d}", text=text(n), session="Lärpass", regions=["Region Värmland"],
            speakers=["Anna"], source="dok.txt", query="cykel", comment=f"kommentar {n}",
        ))
        stored.note.heading = f"Rubrik efter {n}"
        if mode == "change" and n == hold_at:
            hold("change")

    store.edit(ids[n % len(ids)], change)
    print("SAVED", n, flush=True)
    n += 1
"""

TEXT_CHECK = "cykelbibliotek i Region Värmland och kollektivtrafik. " * 80
# (mode, the save the kill is tied to): free kills after that save was reported.
PLAN = [
    ("free", 0),
    ("change", 2),
    ("free", 5),
    ("commit", 3),
    ("free", 20),
    ("commit", 9),
    ("change", 4),
    ("free", 40),
]


def run_and_kill(
    backend: str, where: str, ids: list[str], mode: str, at: int, start: int
) -> list[int]:
    """Start a child saving pins start, start+1, …; kill it at the planned moment; return
    every save number it reported as committed."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            backend,
            where,
            ",".join(ids),
            mode,
            str(start + at),
            str(start),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    saved: list[int] = []
    try:
        for line in proc.stdout:
            word, n, *_ = line.split()
            if word == "SAVED":
                saved.append(int(n))
                if mode == "free" and int(n) == start + at:
                    break
            elif word == "HELD":
                assert int(n) == start + at
                break
        else:
            raise AssertionError(f"the child stopped by itself: {proc.stderr.read()}")
    finally:
        proc.send_signal(signal.SIGKILL)
        # read() first empties what the line iteration had already buffered (a busy
        # machine delivers several SAVED lines in one chunk), then the pipe to its end;
        # communicate() would read only the pipe and lose those lines.
        rest = proc.stdout.read()
        proc.stderr.read()
        proc.wait(timeout=120)
    saved += [int(line.split()[1]) for line in rest.splitlines() if line.startswith("SAVED")]
    assert proc.returncode == -signal.SIGKILL
    return saved


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path):
    """(name, where the child finds the notes, a store for checking, a fresh store)."""
    if request.param == "sqlite":
        path = tmp_path / "anteckningar.sqlite3"
        return "sqlite", str(path), lambda: SqliteNotes(path)
    url, schema = request.getfixturevalue("pg_url"), request.getfixturevalue("pg_schema")
    return "postgres", f"{url}|{schema}", lambda: PostgresNotes(url, schema)


def test_sigkill_during_saves_never_loses_a_note(backend):
    name, where, opened = backend
    store = opened()
    ids = [store.create(f"Anteckning {i}").id for i in range(3)]
    reported: set[int] = set()
    start = 0
    for mode, at in PLAN:
        saved = run_and_kill(name, where, ids, mode, at, start)
        reported |= set(saved)
        in_flight = max(saved, default=start - 1) + 1

        after = opened()  # what the restarted page opens
        if name == "sqlite":
            conn = sqlite3.connect(where)
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            conn.close()
        found: set[int] = set()
        for note_id in ids:
            stored = after.get(note_id)
            assert stored is not None, (mode, at, note_id)
            numbers = [int(i.passage_id[1:]) for i in stored.note.items]
            assert numbers == sorted(numbers), (mode, at)  # pins in the order saved
            for pin in stored.note.items:
                n = int(pin.passage_id[1:])
                assert pin.text == f"Stycke {n}: " + TEXT_CHECK and pin.comment == f"kommentar {n}"
            if numbers:
                assert stored.note.heading == f"Rubrik efter {numbers[-1]}"  # same edit
            found |= set(numbers)
        assert reported <= found, (mode, at, sorted(reported - found))
        assert found - reported <= {in_flight}, (mode, at, sorted(found - reported))
        if mode != "free":
            assert in_flight not in found, (mode, at)  # held before COMMIT: not saved
        reported = found  # a save in flight that made it is committed too
        start = in_flight + 1
    assert len(reported) >= sum(at for _, at in PLAN)
    # Nothing of a killed process stays in the way (PostgreSQL: its row lock is gone).
    assert opened().edit(ids[0], lambda s: s.note.add_question("Fler frågor?")).note.questions
