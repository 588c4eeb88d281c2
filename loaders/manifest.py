"""The corpus manifest: per file only what the text does not say (origin, jurisdictions hint).

    files:
      001_….txt:
        origin: "Nantong municipal government website …"
        jurisdictions: [https://w3id.org/policykg/id/jurisdiction/南通市]   # IRIs or plain names

Facts (titles, numbers, dates, amounts) always come from the text; the jurisdictions here are
used only when the text names none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from policykg.loaders.repair import LoaderError
from policykg.ontology.vocab import JUR

Manifest = dict[str, dict[str, Any]]


def jurisdiction_name(value: str) -> str:
    """A manifest jurisdiction as a name: IRIs in the j: namespace are reduced to their name."""
    value = str(value).strip()
    return unquote(value[len(str(JUR)):]) if value.startswith(str(JUR)) else value


def load_manifest(path: str | Path) -> Manifest:
    """Entries by file name, jurisdictions as names. A missing file is an empty manifest."""
    p = Path(path)
    if not p.exists():
        return {}
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise LoaderError(f"{p}: not valid YAML ({exc})") from exc
    files = data.get("files", data) if isinstance(data, dict) else None
    if not isinstance(files, dict):
        raise LoaderError(f"{p}: expected a mapping 'files: {{name: entry}}'")
    out: Manifest = {}
    for name, entry in files.items():
        entry = dict(entry or {})
        entry["jurisdictions"] = [jurisdiction_name(j) for j in entry.get("jurisdictions") or []]
        out[str(name)] = entry
    return out


def manifest_for(paths: list[Path]) -> Manifest:
    """The manifest.yaml next to the given files (merged if they sit in several folders)."""
    merged: Manifest = {}
    for folder in dict.fromkeys(p.parent for p in paths):
        merged.update(load_manifest(folder / "manifest.yaml"))
    return merged
