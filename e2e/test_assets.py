"""The vendored front-end files are complete, offline and match frontend/package-lock.json.

No browser here: these run in the fast suite too (they are not marked e2e).
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "renda" / "static" / "vendor"
LOCK = ROOT / "frontend" / "package-lock.json"
MAP_COMMENT = re.compile(r"[#@] sourceMappingURL=(\S+?)(?:\s*\*/)?\s*$", re.MULTILINE)
# Hosts of package registries must not appear in a committed file (and a URL there would be a
# download the intranet cannot make).
REGISTRY_HINTS = ("registry", "npmjs", "yarnpkg", "resolved")


def vendored_assets():
    return sorted(p for p in VENDOR.rglob("*") if p.suffix in {".js", ".css"})


def test_lock_file_names_no_registry():
    text = LOCK.read_text(encoding="utf-8")
    for hint in REGISTRY_HINTS:
        assert hint not in text, f"{hint!r} in {LOCK}: see docs/frontend.md"


def test_vendored_versions_match_the_lock_file():
    lock = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]
    versions = json.loads((VENDOR / "versions.json").read_text(encoding="utf-8"))

    assert set(versions) == {"bootstrap", "htmx", "echarts", "axe"}
    for folder, entry in versions.items():
        assert entry["version"] == lock[f"node_modules/{entry['package']}"]["version"], (
            f"{folder} is stale: run `npm ci && npm run vendor` in frontend/"
        )
        for name in entry["files"]:
            assert (VENDOR / folder / name).is_file()


@pytest.mark.parametrize("asset", vendored_assets(), ids=lambda p: str(p.relative_to(VENDOR)))
def test_every_source_map_reference_resolves(asset):
    # CompressedManifestStaticFilesStorage rewrites these references and fails collectstatic on a
    # missing file.
    for reference in MAP_COMMENT.findall(asset.read_text(encoding="utf-8")):
        assert (asset.parent / reference).is_file(), f"{asset} names a missing {reference}"


def test_stylesheets_load_nothing_from_outside():
    sheets = [p for p in vendored_assets() if p.suffix == ".css"]
    sheets += list((ROOT / "renda" / "static" / "renda").glob("*.css"))
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8")
        assert "@import" not in text and "@font-face" not in text, sheet
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), sheet
