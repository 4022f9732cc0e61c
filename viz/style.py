"""Colours, fonts and vis-network options: the one place a map's look is decided.

Colours go to vis-network as *groups* (one style per group, not per node), which keeps the
page small: a node carries only its group's index. Status colours follow the traffic-light
convention officers know from their own spreadsheets; a missing segment also gets a dashed
border so it still reads on a black-and-white printout.

>>> GROUP_STYLES[Group.MISSING]["color"]["background"] == MISSING_COLOUR
True
"""

from __future__ import annotations

from typing import Any

from viz.model import EdgeKind, Group

FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "SimHei", sans-serif'
PRESENT_COLOUR = "#2e7d32"
WEAK_COLOUR = "#f9a825"
MISSING_COLOUR = "#c62828"


def _box(background: str, border: str, font: str, size: int = 14, **extra: Any) -> dict[str, Any]:
    return {
        "shape": "box",
        "color": {
            "background": background,
            "border": border,
            "highlight": {"background": background, "border": "#000000"},
            "hover": {"background": background, "border": "#000000"},
        },
        "font": {"color": font, "size": size, "face": FONT},
        **extra,
    }


# Font sizes (canvas px at zoom 1). Labels are fitted in Python (viz.labels), so boxes have
# no maximum width and the browser never wraps on its own.
SEGMENT_FONT = 16
CONTEXT_FONT = 14  # context segments: quieter, still legible
FIRM_FONT = 13
FOCUS_FONT = 13  # the firm a neighbourhood is about: a firm box, its own colour
CHAIN_FONT = 17
# The smallest label on screen at the default view: segments 12 px, firms 11 px. The page
# zooms to fit, but never below the scale that keeps every label at least this big.
LEGIBLE_SEGMENT_PX = 12
LEGIBLE_FIRM_PX = 11
MIN_SCALE = max(LEGIBLE_SEGMENT_PX / CONTEXT_FONT, LEGIBLE_FIRM_PX / FIRM_FONT)

SEGMENT_BOX = {"margin": 8, "borderWidth": 2, "widthConstraint": {"minimum": 72}}
FIRM_BOX = {"margin": 5, "borderWidth": 1}

GROUP_STYLES: dict[Group, dict[str, Any]] = {
    Group.PRESENT: _box(PRESENT_COLOUR, "#1b5e20", "#ffffff", SEGMENT_FONT, **SEGMENT_BOX),
    Group.WEAK: _box(WEAK_COLOUR, "#b17200", "#212121", SEGMENT_FONT, **SEGMENT_BOX),
    Group.MISSING: _box(
        MISSING_COLOUR,
        "#7f0000",
        "#ffffff",
        SEGMENT_FONT,
        **{**SEGMENT_BOX, "borderWidth": 3, "shapeProperties": {"borderDashes": [6, 4]}},
    ),
    Group.SEGMENT: _box("#546e7a", "#37474f", "#ffffff", SEGMENT_FONT, **SEGMENT_BOX),
    Group.EXTERNAL: _box("#f5f7f8", "#90a4ae", "#546e7a", CONTEXT_FONT, **SEGMENT_BOX),
    Group.OWN: _box("#546e7a", "#37474f", "#ffffff", SEGMENT_FONT, **SEGMENT_BOX),
    Group.NEIGHBOUR: _box("#eceff1", "#90a4ae", "#37474f", CONTEXT_FONT, **SEGMENT_BOX),
    Group.LOCAL: _box("#e3f2fd", "#1565c0", "#0d47a1", FIRM_FONT, **FIRM_BOX),
    Group.TARGET: _box(
        "#fff3e0",
        "#ef6c00",
        "#bf360c",
        FIRM_FONT,
        **FIRM_BOX,
        shapeProperties={"borderDashes": [3, 2]},
    ),
    Group.FOCUS: _box("#6a1b9a", "#4a148c", "#ffffff", FOCUS_FONT, **FIRM_BOX),
    Group.CHAIN: _box("#37474f", "#263238", "#ffffff", CHAIN_FONT, margin=12),
}

_QUIET = {"smooth": False}
EDGE_STYLES: dict[EdgeKind, dict[str, Any]] = {
    EdgeKind.SUPPLIES: {"color": {"color": "#455a64"}, "width": 2, "arrows": "to"},
    EdgeKind.CROSS: {
        "color": {"color": "#b0bec5"},
        "width": 1,
        "dashes": [5, 5],
        "arrows": "to",
    },
    EdgeKind.OPERATES: {"color": {"color": "#90caf9"}, "width": 1, **_QUIET},
    EdgeKind.TARGETS: {"color": {"color": "#ffb74d"}, "width": 1, "dashes": [2, 3], **_QUIET},
    EdgeKind.LINKS: {
        "color": {"color": "#607d8b"},
        "width": 2,
        "arrows": "to",
        "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
        "font": {"face": FONT, "size": 13, "align": "top"},
    },
}


def network_options(large: bool) -> dict[str, Any]:
    """vis-network options: no physics (positions come from ``viz.layout``), quick redraws."""
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
            "multiselect": False,
        },
        "nodes": {"shape": "box", "font": {"face": FONT}},
        "edges": {
            "smooth": False
            if large
            else {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal"},
            "selectionWidth": 1,
        },
        "groups": {group.value: style for group, style in GROUP_STYLES.items()},
    }


def swatch(group: Group) -> dict[str, str]:
    """CSS colours of a group for the HTML legend."""
    colour = GROUP_STYLES[group]["color"]
    dashed = "borderDashes" in GROUP_STYLES[group].get("shapeProperties", {})
    return {
        "background": colour["background"],
        "border": colour["border"],
        "style": "dashed" if dashed else "solid",
    }


def edge_swatch(kind: EdgeKind) -> dict[str, str]:
    style = EDGE_STYLES[kind]
    return {"colour": style["color"]["color"], "style": "dashed" if "dashes" in style else "solid"}
