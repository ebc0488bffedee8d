"""Corpus roots: the folders on the server whose files the desk may ingest by path, and nothing else.

A path typed into the desk is a request to read the server's disk, so it is resolved (links followed) and
must land under a configured root; ``..`` is refused outright, and so is a link, anywhere in the folder, that
leads out of the roots.

>>> selection = files_under_roots("/srv/corpus/2024", ["/srv/corpus"])
>>> Ingester(store).ingest(selection.files)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.errors import InputError, PermissionDenied

ROOTS_ENV = "FACTCHECK_CORPUS_ROOTS"


@dataclass(frozen=True)
class RefusedPath:
    """A file or folder inside the requested folder that is not read, and why."""

    path: str
    reason: str


@dataclass
class FolderSelection:
    """What a folder ingest may read: ``files`` (resolved, all under the roots) and what it refused."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    refused: list[RefusedPath] = field(default_factory=list)


def _resolved_roots(roots: Sequence[str | Path]) -> list[Path]:
    return [Path(root).expanduser().resolve() for root in roots if str(root).strip()]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def _roots_text(roots: Sequence[str | Path]) -> str:
    return ", ".join(str(root) for root in roots)


def resolve_under_roots(path: str | Path, roots: Sequence[str | Path]) -> Path:
    """The real path of ``path`` if it lies under one of ``roots``, else PermissionDenied saying why.

    A relative path is looked up under each root in turn. Raises InputError for an empty path or one that
    does not exist (asked only once the path is known to be under a root, so nothing outside is probed).
    """
    raw = str(path).strip()
    if not raw:
        raise InputError("Give the path of a folder (or file) under the corpus roots")
    if not roots or not _resolved_roots(roots):
        raise PermissionDenied(f"Ingesting a folder on the server is off: no corpus roots are configured — set "
                               f"{ROOTS_ENV} to the folders the desk may read")
    resolved_roots = _resolved_roots(roots)
    candidate = Path(raw).expanduser()
    if ".." in candidate.parts:
        raise PermissionDenied(f"{raw}: paths with '..' are refused — give the folder's full path under a corpus "
                               f"root ({_roots_text(roots)})")
    if candidate.is_absolute():
        candidates = [candidate]
    else:
        candidates = [root / candidate for root in resolved_roots]
        candidates = [c for c in candidates if os.path.lexists(c)] or candidates[:1]
    written = candidates[0]
    real = written.resolve()
    if not _inside(real, resolved_roots):
        if _inside(Path(os.path.abspath(written)), resolved_roots):
            raise PermissionDenied(f"{raw} is a link that leads outside the corpus roots ({_roots_text(roots)}) — "
                                   "it is not read")
        raise PermissionDenied(f"{raw} is outside the corpus roots ({_roots_text(roots)}) — the desk reads only "
                               f"under them; ask an admin to add a root to {ROOTS_ENV}")
    if not real.exists():
        raise InputError(f"No such file or folder under the corpus roots: {raw}")
    return real


def files_under_roots(path: str | Path, roots: Sequence[str | Path]) -> FolderSelection:
    """The files a folder ingest of ``path`` may read: every file under it (hidden ones left out, as ingest
    leaves them out) whose real path stays under ``roots``. Links out of the roots are refused, not followed."""
    folder = resolve_under_roots(path, roots)
    resolved_roots = _resolved_roots(roots)
    selection = FolderSelection(folder=folder)
    if folder.is_file():
        selection.files.append(folder)
        return selection
    for current, dirs, files in os.walk(folder, followlinks=False):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in list(dirs):
            child = here / name
            if child.is_symlink():  # never followed: a linked folder could loop or lead anywhere
                dirs.remove(name)
                reason = ("a link to a folder outside the corpus roots" if not _inside(child.resolve(), resolved_roots)
                          else "a link to a folder (not followed; give its own path)")
                selection.refused.append(RefusedPath(str(child), reason))
        for name in sorted(files):
            if name.startswith("."):
                continue
            child = here / name
            real = child.resolve()
            if not _inside(real, resolved_roots):
                selection.refused.append(RefusedPath(str(child), "a link to a file outside the corpus roots"))
            elif real.is_file():
                selection.files.append(real)
    return selection
