"""Reading a OneRoster file set from a directory or a ZIP, size-checked before anything is read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FILES = ("manifest.csv", "orgs.csv", "users.csv", "roles.csv")
MAX_FILE_BYTES = 200 * 1024 * 1024


def files_from_path(path: str | Path) -> dict[str, bytes]:
    """The OneRoster files in a directory or a ZIP file, by lower-case file name."""
    source = Path(path)
    if source.is_dir():
        found = {}
        for child in source.iterdir():
            if child.name.lower() in FILES and child.is_file():
                if child.stat().st_size > MAX_FILE_BYTES:
                    raise ValueError(f"{child.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
                found[child.name.lower()] = child.read_bytes()
        return found
    return files_from_zip(source.read_bytes())


def files_from_zip(data: bytes) -> dict[str, bytes]:
    """The OneRoster files in a ZIP archive (at its top or in one folder), size-checked before reading."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValueError("the file is not a ZIP archive of OneRoster CSV files") from None
    found = {}
    with archive:
        for info in archive.infolist():
            name = info.filename.rsplit("/", 1)[-1].lower()
            if info.is_dir() or name not in FILES:
                continue
            if info.file_size > MAX_FILE_BYTES:
                raise ValueError(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB")
            found[name] = archive.read(info)
    return found
