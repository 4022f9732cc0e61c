"""The browser code a page inlines: vendored vis-network plus chainkg's own script and style.

Pages are single self-contained files (they must open from a USB stick on an offline network),
so every script is inlined and the page's Content-Security-Policy allows exactly these scripts,
by hash: even if some data slipped past escaping, an injected ``<script>`` or ``onerror=``
would not run, and no request could leave the page.

The vendored ``vis-network.min.js`` is stored unmodified (see its README.md); two byte-level
edits are made when inlining it, neither changing what the code does:
- the trailing ``//# sourceMappingURL=`` comment goes (the map is not shipped);
- ``://`` becomes ``:\\/\\/`` -- in the licence comments this is inert text and in the string
  literals ``"\\/"`` is ``"/"`` -- so no ``http://`` string appears in an exported map.

>>> "://" in vis_network_js()
False
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STATIC = Path(__file__).parent / "static"
VIS_NETWORK = STATIC / "vendor" / "vis-network" / "vis-network.min.js"
SOURCE_MAP_COMMENT = "//# sourceMappingURL="


@dataclass(frozen=True)
class Script:
    text: str
    digest: str  # 'sha256-…' for the Content-Security-Policy


def _script(text: str) -> Script:
    if "</script" in text.lower():
        raise ValueError("an inlined script must not contain '</script'")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return Script(text, f"'sha256-{digest}'")


@cache
def vis_network_js() -> str:
    text = VIS_NETWORK.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith(SOURCE_MAP_COMMENT)]
    return "\n".join(lines).replace("://", ":\\/\\/")


@cache
def scripts() -> tuple[Script, Script]:
    """(vis-network, chainkg's map script), ready to inline."""
    return _script(vis_network_js()), _script((STATIC / "map.js").read_text(encoding="utf-8"))


@cache
def stylesheet() -> str:
    return (STATIC / "map.css").read_text(encoding="utf-8")


def content_security_policy(allowed: tuple[Script, ...]) -> str:
    """Nothing may be fetched; only our own inlined scripts run."""
    hashes = " ".join(script.digest for script in allowed) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
