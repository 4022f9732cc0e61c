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


SEGMENT_BOX = {"margin": 8, "borderWidth": 2, "widthConstraint": {"minimum": 72, "maximum": 100}}
FIRM_BOX = {"margin": 4, "borderWidth": 1}

GROUP_STYLES: dict[Group, dict[str, Any]] = {
    Group.PRESENT: _box(PRESENT_COLOUR, "#1b5e20", "#ffffff", 15, **SEGMENT_BOX),
    Group.WEAK: _box(WEAK_COLOUR, "#b17200", "#212121", 15, **SEGMENT_BOX),
    Group.MISSING: _box(
        MISSING_COLOUR,
        "#7f0000",
        "#ffffff",
        15,
        **{**SEGMENT_BOX, "borderWidth": 3, "shapeProperties": {"borderDashes": [6, 4]}},
    ),
    Group.SEGMENT: _box("#546e7a", "#37474f", "#ffffff", 15, **SEGMENT_BOX),
    Group.EXTERNAL: _box("#f5f7f8", "#b0bec5", "#78909c", 13, **SEGMENT_BOX),
    Group.LOCAL: _box("#e3f2fd", "#1565c0", "#0d47a1", 12, **FIRM_BOX),
    Group.TARGET: _box(
        "#fff3e0", "#ef6c00", "#bf360c", 12, **FIRM_BOX, shapeProperties={"borderDashes": [3, 2]}
    ),
    Group.FOCUS: _box("#6a1b9a", "#4a148c", "#ffffff", 14, **SEGMENT_BOX),
    Group.CHAIN: _box(
        "#37474f", "#263238", "#ffffff", 17, margin=12, widthConstraint={"maximum": 180}
    ),
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
