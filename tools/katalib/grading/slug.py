"""A student's name as one folder name. Names come from a class list or a
results.json a student uploaded: `..`, `a/b`, `-rf`, 300 characters or bytes
that are not UTF-8 must not become a path outside the results folder, an
option to a command, a hidden file or a name the file system refuses."""
from __future__ import annotations

import hashlib

MAX = 64          # characters kept of a long name (file systems allow 255 bytes)


def safe_slug(name: str) -> str:
    """One safe path component for `name`: letters and digits of any script,
    `-`, `_`, `.`; anything else `_`; never empty, `.`, `..`, nor starting
    with `.` or `-`; no `/` or NUL. A name cut to MAX characters ends in a
    short hash of the whole name, so long names that differ late stay
    different; two names that give the same slug (`a/b`, `a_b`) are told
    apart by the batch, which appends `_` to a repeat."""
    # lone surrogates (bytes that were not UTF-8, surrogate-escaped) are not
    # alphanumeric: they become `_` and the folder name is valid UTF-8
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    if slug[:1] in (".", "-"):
        slug = "_" + slug[1:]
    if not slug.strip("_.-"):
        slug = "student"
    if len(slug) > MAX:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug[:MAX]}-{digest}"
    return slug
