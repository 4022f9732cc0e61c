"""Capacity units, stock codes, and the error helpers that phrase problems for officers."""

from __future__ import annotations

import pytest

from graph import units
from graph.codes import exchange_for, normalise_code
from graph.errors import DatasetError, NotFound, Problem, closest

# ------------------------------------------------------------------------------- units


def test_units_convert_within_one_dimension() -> None:
    assert units.convert(102, "GW", "MW") == 102_000
    assert units.convert(14.5, "万吨", "吨") == 145_000
    assert units.convert(5000, "t", "万吨") == 0.5
    assert units.to_base(37.5, "GWh") == 37_500


def test_units_never_convert_across_dimensions() -> None:
    assert not units.comparable("GW", "GWh")
    assert not units.comparable("万吨", "GW")
    with pytest.raises(ValueError, match="cannot convert 'GW' to 'GWh'"):
        units.convert(1, "GW", "GWh")


def test_unknown_units_are_not_comparable_with_anything() -> None:
    assert not units.is_known("公斤")
    assert not units.comparable("公斤", "公斤")
    assert units.is_known("万片") and units.dimension("万片") == "count"


def test_every_unit_has_a_positive_factor_and_a_base_unit_in_its_dimension() -> None:
    bases = {dim for dim, factor in units.UNITS.values() if factor == 1.0}
    assert {dim for dim, _ in units.UNITS.values()} == bases
    assert all(factor > 0 for _, factor in units.UNITS.values())


# ------------------------------------------------------------------------------- stock codes


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("601865", "601865.SH"),
        ("601865.SH", "601865.SH"),
        ("601865.ss", "601865.SH"),
        ("sh601865", "601865.SH"),
        ("SH.601865", "601865.SH"),
        (" 688599.sh ", "688599.SH"),
        ("300750", "300750.SZ"),
        ("sz000001", "000001.SZ"),
        ("830799", "830799.BJ"),
        ("430047.BJ", "430047.BJ"),
    ],
)
def test_stock_codes_normalise_to_one_form(written: str, normal: str) -> None:
    assert normalise_code(written) == normal


@pytest.mark.parametrize("bad", ["12345", "6018650", "ABCDEF", "601865.HK", ""])
def test_malformed_stock_codes_say_how_to_write_them(bad: str) -> None:
    with pytest.raises(ValueError, match="write it like 601865 or 601865.SH"):
        normalise_code(bad)


def test_a_code_on_the_wrong_exchange_names_the_right_one() -> None:
    with pytest.raises(ValueError, match="code 601865 trades on SH, not SZ"):
        normalise_code("601865.SZ")


def test_a_code_with_no_a_share_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="not an A-share code"):
        exchange_for("700000")


# ------------------------------------------------------------------------------- errors


def test_closest_suggests_near_misses_and_substrings() -> None:
    pool = ["pv-wafer", "pv-cell", "li-anode", "li-cathode"]
    assert closest("pv-wafr", pool)[0] == "pv-wafer"
    assert "li-anode" in closest("anode", pool)
    assert closest("zzz", pool) == []


def test_not_found_names_the_kind_and_suggestions() -> None:
    error = NotFound("Segment", "pv-wafr", ["pv-wafer"])
    assert str(error) == "unknown Segment id 'pv-wafr'; did you mean: pv-wafer?"
    assert str(NotFound("Firm", "x")) == "unknown Firm id 'x'"


def test_a_problem_prints_as_file_line_field_message() -> None:
    assert (
        str(Problem("targets.csv", 7, "segment", "unknown")) == "targets.csv:7 [segment]: unknown"
    )
    assert str(Problem("kpis.yaml", 0, "", "bad")) == "kpis.yaml: bad"


def test_dataset_error_lists_problems_in_file_order_once_each() -> None:
    later = Problem("b.yaml", 2, "id", "second")
    earlier = Problem("a.yaml", 9, "id", "first")
    error = DatasetError([later, earlier, later])
    assert error.problems == [earlier, later]
    assert str(error).splitlines() == [
        "2 problem(s) in the dataset:",
        "  - a.yaml:9 [id]: first",
        "  - b.yaml:2 [id]: second",
    ]
    assert isinstance(error, ValueError)
