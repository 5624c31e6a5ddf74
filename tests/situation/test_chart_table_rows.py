"""The chart tables' rows written by ``chart_table_rows`` are what the template's loops wrote."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

LOOPS = Template(
    "{% load numbers %}{% for row in rows %}<tr>{% for v in row %}{% if forloop.first %}"
    '<th scope="row">{{ v }}</th>{% else %}<td class="numbers">{{ v|grouped }}</td>{% endif %}'
    "{% endfor %}</tr>{% endfor %}"
)
TAG = Template("{% load situation_tags %}{% chart_table_rows rows %}")
ROWS = [
    ["Klotter", 1, 0, None, 12345],
    ["<b>Skadegörelse</b> & annat", 2.5, 1234.75, None],
    [2025, 0.0001, -3],
    ["Tom"],
]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_rows_are_what_the_loops_wrote(language: str) -> None:
    with translation.override(language):
        assert TAG.render(Context({"rows": ROWS})) == LOOPS.render(Context({"rows": ROWS}))


def test_numbers_have_their_thousands_grouped_and_rates_are_whole() -> None:
    rows = [["Anmälda brott totalt", 7147.0, 8432.6, None], ["Klotter", 12345, 20.5, 3]]
    with translation.override("sv"):
        counts = TAG.render(Context({"rows": rows}))
        rates = Template("{% load situation_tags %}{% chart_table_rows rows 'crime' %}").render(
            Context({"rows": rows})
        )
    nbsp = "\u00a0"
    assert f'<td class="numbers">12{nbsp}345</td>' in counts
    assert f'<td class="numbers">8{nbsp}432,6</td>' in counts
    assert f'<td class="numbers">7{nbsp}147</td><td class="numbers">8{nbsp}433</td>' in rates
    assert '<td class="numbers">21</td><td class="numbers">3</td>' in rates  # 20,5 → 21
    assert '<td class="numbers">–</td>' in rates
