#!/usr/bin/env python3
"""Writes Sources/Console/Static/EmbeddedFiles.swift from every file in Sources/Console/Static/Files.

The daemon carries its web assets in its binary (nothing to install beside it, nothing to find at run
time): each file gzipped once here, base64 in a string literal, with its SHA-256 as the ETag and the
cache-busting version. Run it after changing or re-vendoring a file; ConsoleTests fails when the
embedded copy and the folder differ.
"""
import base64
import gzip
import hashlib
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
folder = root / "Sources/Console/Static/Files"
target = root / "Sources/Console/Static/EmbeddedFiles.swift"
types = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}

lines = [
    "// Written by scripts/embed-static.py from Sources/Console/Static/Files: do not edit by hand.",
    "extension StaticFiles {",
    "    static let embedded: [EmbeddedFile] = [",
]
for path in sorted(p for p in folder.rglob("*") if p.is_file()):
    name = path.relative_to(folder).as_posix()
    if path.suffix not in types:
        continue  # licences and notes stay in the repository, not in the binary
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    # mtime=0: the same input gives the same bytes, so regenerating changes nothing that did not change.
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    text = base64.b64encode(packed).decode()
    lines.append(
        f'        EmbeddedFile(name: "{name}", contentType: "{types[path.suffix]}", sha256: "{digest}", '
        f'size: {len(data)}, gzipBase64: "{text}"),'
    )
lines += ["    ]", "}", ""]
target.write_text("\n".join(lines))
print(f"embed-static: wrote {target.relative_to(root)}")
