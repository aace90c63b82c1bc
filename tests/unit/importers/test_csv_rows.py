"""A line with the wrong number of fields is an error of that line, not a value.

``read_csv`` once put the reason in the row's values under a ``"__error__"`` key, so
a column of that name would have read as an error. The reason is now ``CsvRow.error``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from directory.errors import InputRejected
from importers.base import SourceFile, read_csv
from importers.priority_conditions import parse_priority_conditions
from importers.summaries import parse_summaries


def test_a_short_line_has_an_error_and_no_values() -> None:
    source = SourceFile("t.csv", b"a,b,c\n1,2,3\n4,5\n")
    good, short = read_csv(source, ["a", "b", "c"])
    assert (good.line, good.values, good.error) == (2, {"a": "1", "b": "2", "c": "3"}, None)
    assert (short.line, short.values) == (3, {})
    assert short.error == "has 2 fields, the header has 3"


def test_a_column_named_like_the_old_sentinel_is_an_ordinary_value() -> None:
    source = SourceFile("t.csv", b"a,__error__\n1,not an error\n")
    (row,) = read_csv(source, ["a"], ["__error__"])
    assert row.error is None
    assert row.values == {"a": "1", "__error__": "not an error"}


@pytest.mark.parametrize(
    ("parse", "header"),
    [
        (parse_priority_conditions, b"orphacode,name_en,topic_nl,topic_en"),
        (parse_summaries, b"orphacode,summary_nl,summary_en,based_on"),
    ],
)
def test_parsers_report_the_short_line_as_a_problem(
    parse: Callable[[SourceFile], object], header: bytes
) -> None:
    source = SourceFile("t.csv", header + b"\n3395,x\n")
    with pytest.raises(InputRejected) as exc:
        parse(source)
    (problem,) = exc.value.problems
    assert (problem.location, problem.reason) == ("line 2", "has 2 fields, the header has 4")
