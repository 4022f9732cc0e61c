"""Numbers, units and years as officers type them (loaders/numbers.py, graph/units.py): the
kinds of the chinese-number-forms case, with other inputs of each kind."""

from __future__ import annotations

import pytest

from graph import units
from graph.i18n import use_lang
from loaders.numbers import Quantity, in_unit, read_quantity, read_year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14.5万", Quantity(145_000.0)),
        ("1.2亿", Quantity(120_000_000.0)),
        ("十五万", Quantity(150_000.0)),
        ("三千", Quantity(3000.0)),
        ("一百零二", Quantity(102.0)),
        ("１２.５", Quantity(12.5)),
        ("１２.５ＧＷ", Quantity(12.5, "GW")),
        ("5.6 GW", Quantity(5.6, "GW")),
        ("16万吨", Quantity(16.0, "万吨")),
        ("十五万吨", Quantity(15.0, "万吨")),
        ("100万台", Quantity(100.0, "万台")),
        ("3.2万千瓦", Quantity(3.2, "万kW")),
        ("800兆瓦", Quantity(800.0, "MW")),
        ("2亿片", Quantity(2.0, "亿片")),
        ("50平方米", Quantity(50.0, "㎡")),
        ("约5.7", Quantity(5.7, None, True)),
        ("近300", Quantity(300.0, None, True)),
        ("超100", Quantity(100.0, None, True)),
        ("逾2GWh", Quantity(2.0, "GWh", True)),
        ("300左右", Quantity(300.0, None, True)),
        ("5万余吨", Quantity(5.0, "万吨", True)),
        ("300多台", Quantity(300.0, "台", True)),
        ("大约1,500", Quantity(1500.0, None, True)),
        ("４５％", Quantity(0.45)),
        ("45 %", Quantity(0.45)),
    ],
)
def test_officers_number_forms(text: str, expected: Quantity) -> None:
    assert read_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "column", "value", "unit"),
    [
        ("14.5万", "吨", 145_000.0, "吨"),
        ("16万吨", "吨", 160_000.0, "吨"),
        ("5000吨", "万吨", 0.5, "万吨"),
        ("5.6GW", "MW", 5600.0, "MW"),
        ("3.2万千瓦", "MW", 32.0, "MW"),
        ("1.2亿片", "万片", 12_000.0, "万片"),
        ("近300台", "万台", 0.03, "万台"),
        ("2", "千瓦", 2.0, "kW"),
        ("2GW", None, 2.0, "GW"),
    ],
)
def test_a_unit_in_the_cell_is_converted_to_the_columns(
    text: str, column: str | None, value: float, unit: str
) -> None:
    quantity = in_unit(read_quantity(text), column)
    assert quantity.value == pytest.approx(value) and quantity.unit == unit


@pytest.mark.parametrize(
    ("text", "column", "says"),
    [
        ("5GW", "万吨", "不是同一种量"),
        ("5GWh", "GW", "不是同一种量"),
    ],
)
def test_a_unit_that_does_not_convert_is_refused(text: str, column: str, says: str) -> None:
    with use_lang("zh"), pytest.raises(ValueError, match=says):
        in_unit(read_quantity(text), column)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("abc", "不是数字"),
        ("1.2.3", "不是数字"),
        ("%", "不是数字"),
        ("12,34,567", "不是数字"),
        ("14,5", "逗号只能作千位分隔符"),
        ("5公斤", "单位 '公斤' 无法识别"),
        ("待定", "不是数字"),
    ],
)
def test_forms_that_cannot_be_read_say_what_was_expected(text: str, says: str) -> None:
    with use_lang("zh"), pytest.raises(ValueError) as caught:
        read_quantity(text)
    assert says in str(caught.value)


@pytest.mark.parametrize("text", ["2023", "2023年", "２０２３", "2023年度", "二〇二三年", " 2023 "])
def test_years_as_written(text: str) -> None:
    assert read_year(text) == 2023


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2023-06-30", "实际为日期"),
        ("2023/6/30", "实际为日期"),
        ("2023年6月30日", "实际为日期"),
        ("2023年6月", "实际为日期"),
        ("2023.06", "实际为日期"),
        ("twenty", "应为年份（如 2023），实际为 'twenty'"),
        ("23", "应为年份"),
    ],
)
def test_what_is_not_a_year_is_said_in_words(text: str, says: str) -> None:
    with use_lang("zh"), pytest.raises(ValueError, match=says):
        read_year(text)


def test_units_are_extensible_with_multipliers_and_spellings() -> None:
    assert units.canonical("万件") == "万件" and units.convert(2, "万件", "件") == 20_000
    assert units.canonical("亿片") == "亿片" and units.comparable("亿片", "万片")
    assert units.canonical("千瓦") == "kW" and units.convert(1, "万千瓦", "MW") == 10
    assert units.canonical("m2") == "㎡" and units.canonical("平方米") == "㎡"
    assert units.canonical("万万吨") is None and not units.is_known("公斤")
    assert units.comparable("台", "万台") and not units.comparable("台", "吨")
