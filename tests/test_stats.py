"""Wilson intervals and chi-square tests against published and hand-computed values."""

from __future__ import annotations

import math

import pytest

from fritekst.analysis.stats import chi2_sf, chi_square_test, wilson_interval


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score).
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    # By hand from the formula with z = 1.96: p = 0.5, centre 0.8201, spread 0.5124, divisor 1.6402.
    (3, 6, 0.1876, 0.8124),
    (5, 10, 0.2366, 0.7634),
    (10, 10, 0.7225, 1.0),
])
def test_wilson_interval_matches_published_and_hand_computed_values(k: int, n: int, low: float,
                                                                   high: float) -> None:
    got_low, got_high = wilson_interval(k, n)
    assert round(got_low, 4) == low
    assert round(got_high, 4) == high


def test_wilson_interval_of_nobody_is_undefined_and_bad_counts_are_rejected() -> None:
    assert all(math.isnan(b) for b in wilson_interval(0, 0))
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(4, 3)


@pytest.mark.parametrize(("x", "df", "p"), [
    (3.841459, 1, 0.05),      # the familiar critical values
    (5.991465, 2, 0.05),
    (7.814728, 3, 0.05),
    (6.634897, 1, 0.01),
    (18.307038, 10, 0.05),    # larger tables (fylker): even and odd degrees of freedom
    (37.652484, 25, 0.05),
    (2.0, 4, 0.735759),       # by hand: exp(-1) * (1 + 1)
    (0.0, 3, 1.0),
])
def test_chi2_upper_tail_probability(x: float, df: int, p: float) -> None:
    assert chi2_sf(x, df) == pytest.approx(p, abs=1e-6)


def test_chi_square_test_on_a_hand_computed_two_by_two_table() -> None:
    # Expected counts 12, 18, 28, 42; chi2 = 4/12 + 4/18 + 4/28 + 4/42 = 0.79365; df = 1.
    result = chi_square_test([[10, 20], [30, 40]])
    assert result.testable
    assert result.statistic == pytest.approx(0.793651, abs=1e-6)
    assert result.df == 1
    assert result.p_value == pytest.approx(0.372998, abs=1e-6)
    assert result.min_expected == pytest.approx(12.0)


def test_chi_square_test_three_groups() -> None:
    # Coded / not coded in three size classes; expected counts by hand: row total × 30 / 90 etc.
    result = chi_square_test([[15, 15], [10, 20], [5, 25]])
    assert result.testable
    assert result.df == 2
    assert result.statistic == pytest.approx(7.5, abs=1e-9)
    assert result.p_value == pytest.approx(math.exp(-7.5 / 2), abs=1e-12)  # df = 2: sf = exp(-x/2)


def test_sparse_tables_are_not_tested_and_say_why() -> None:
    result = chi_square_test([[1, 2], [0, 3]])
    assert not result.testable
    assert math.isnan(result.p_value)
    assert result.reason == ("for små tall: forventet antall under 5 i 100 % av cellene (minste 0,5); "
                             "testen krever minst 1 i alle og under 5 i høyst 20 %")


def test_degenerate_tables_are_not_tested() -> None:
    assert chi_square_test([[4, 0], [6, 0]]).reason == \
        "alle eller ingen har temaet, så det er ingen forskjell å teste"
    # A group nobody in answered is dropped; one group left is no comparison.
    assert chi_square_test([[5, 5], [0, 0]]).reason == "bare én gruppe med svar"
