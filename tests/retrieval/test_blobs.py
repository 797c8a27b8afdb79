"""The store keeps named bytes; the index layer makes the lexical index and vocabulary from
them. Indexes written before (files the objects saved themselves) must load unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from confsearch.retrieval.blobs import npy_array, npy_bytes
from confsearch.retrieval.indexparts import from_blobs, to_blobs
from confsearch.retrieval.lexical import LexicalIndex
from confsearch.retrieval.store import IndexError_

TEXTS = ["Cykelbiblioteket i Region Örebro län.", "Kollektivtrafik i Skåne.", "Värmlandsrådet."]


@pytest.mark.parametrize(
    "array",
    [np.arange(7, dtype=np.int64), np.ones((2, 3), np.float16), np.zeros((0, 4), np.float32)],
)
def test_a_npy_blob_is_what_np_save_writes_to_a_file(tmp_path, array):
    np.save(tmp_path / "a.npy", array, allow_pickle=False)
    assert npy_bytes(array) == (tmp_path / "a.npy").read_bytes()
    back = npy_array(npy_bytes(array))
    assert back.dtype == array.dtype and np.array_equal(back, array) and back.flags.writeable


def test_the_lexical_blobs_are_the_files_an_index_folder_holds(tmp_path):
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path)
    blobs = to_blobs(index, None)
    assert blobs == {f"lexical/{p.name}": p.read_bytes() for p in tmp_path.iterdir()}
    lexical, vocabulary = from_blobs(blobs)
    assert vocabulary is None and len(lexical) == len(TEXTS)
    assert np.array_equal(lexical.scores("cykelbibliotek"), index.scores("cykelbibliotek"))


def test_a_damaged_lexical_blob_is_a_swedish_index_error():
    blobs = to_blobs(LexicalIndex.build(TEXTS), None)
    blobs["lexical/lexical.meta.json"] = b'{"format": 999}'
    with pytest.raises(IndexError_, match="lexikala del"):
        from_blobs(blobs)
    del blobs["lexical/lexical.meta.json"]
    with pytest.raises(IndexError_, match="lexikala del"):
        from_blobs(blobs)
