"""The chart tables' rows written by ``chart_table_rows`` are what the template's loops wrote."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

LOOPS = Template(
    '{% for row in rows %}<tr>{% for v in row %}{% if forloop.first %}<th scope="row">{{ v }}'
    '</th>{% else %}<td class="numbers">{{ v|default_if_none:"–" }}</td>{% endif %}{% endfor %}'
    "</tr>{% endfor %}"
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
