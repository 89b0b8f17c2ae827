"""Scores print with two decimals, never rounded up onto a grade or verdict line."""

from __future__ import annotations

import pytest

from okrcli.render.score_parts import score_text


@pytest.mark.parametrize(
    ("score", "text"),
    [
        (None, "—"),
        (0.5, "0.50"),
        (0.698, "0.698"),
        (0.702, "0.70"),
        (0.3996, "0.400"),
        (0.999, "0.999"),
        (1.0, "1.00"),
    ],
)
def test_score_text(score: float | None, text: str) -> None:
    assert score_text(score) == text
