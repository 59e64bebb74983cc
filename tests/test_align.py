"""What a lower level carries down from the higher notice, on the bundled corpus."""

from __future__ import annotations

import pytest

from assistant.align import AlignError, align, higher_notice
from index.normalize import is_verbatim


def test_a_county_notice_is_aligned_with_the_province_of_its_year(corpus) -> None:
    result = align(corpus, "沁水县-2025")
    assert result.higher_id == "山西省-2025"
    above = [side for side, _ in result.carried] + list(result.left_out)
    below = [side for _, side in result.carried] + list(result.own)
    # every higher requirement is either carried or left out, every lower one traced or its own, once each
    assert len({(s.clause_id, s.quote) for s in above}) == len(above)
    assert all(
        h.clause_id.startswith("山西省-2025") and low.clause_id.startswith("沁水县-2025") for h, low in result.carried
    )
    assert all(is_verbatim(s.quote, corpus.clause(s.clause_id).text) for s in [*above, *below])
    # the county copies most of the province's notice, and sections add up to the totals
    assert len(result.carried) > len(result.left_out) > 0
    assert sum(c + n for _, c, n in result.sections()) == len(above)
    assert sum(t + o for _, t, o in result.lower_sections()) == len(below)


def test_a_carried_requirement_keeps_its_figure(corpus) -> None:
    result = align(corpus, "沁水县-2025")
    ten = [low for high, low in result.carried if "办实事" in high.quote]
    assert ten and "10" in ten[0].quote


def test_the_higher_notice_falls_back_to_the_year_before(corpus) -> None:
    # 忻州 2024 answers to 山西省-2024; a notice with no higher one of its year or the year before is refused
    assert higher_notice(corpus, corpus.notice("忻州市-2024")).notice_id == "山西省-2024"
    with pytest.raises(AlignError, match="上级通知"):
        align(corpus, "山西省-2026")
    with pytest.raises(AlignError, match="没有这份通知"):
        align(corpus, "太原市-2026")
