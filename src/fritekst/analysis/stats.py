"""Small, dependency-free statistics for theme reports: Wilson intervals and chi-square tests.

Implemented here rather than imported from scipy so that the numbers in a report depend only on
formulas a reader can check by hand (the docstrings give them), and so the package does not lean on a
transitive dependency.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: The two-sided 97.5 % standard normal quantile, for 95 % intervals.
Z_95 = 1.959963984540054


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k / n`` (95 % by default).

    The Wilson interval stays inside [0, 1] and behaves well for small ``n`` and for shares near 0 or
    1, which is where the plain normal ("Wald") interval fails; theme shares among a few dozen answers
    are exactly that case.

    .. math:: \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    Parameters
    ----------
    k : int
        Number of successes (respondents coded with the theme), ``0 <= k <= n``.
    n : int
        Number of trials (respondents who answered). ``n == 0`` gives ``(nan, nan)``.
    z : float
        Normal quantile; the default gives a 95 % interval.

    Examples
    --------
    >>> [round(b, 4) for b in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    >>> [round(b, 4) for b in wilson_interval(0, 10)]
    [0.0, 0.2775]
    """
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denominator = 1 + z2 / n
    low = (centre - spread) / denominator
    high = (centre + spread) / denominator
    # Rounding can leave -1e-17 or 1.0000000000000002; the exact bounds at k=0 and k=n are 0 and 1.
    return (0.0 if k == 0 else max(0.0, low), 1.0 if k == n else min(1.0, high))


def chi2_sf(x: float, df: int) -> float:
    """Upper tail probability P(X >= x) of a chi-square distribution with integer ``df``.

    Uses the closed forms of the regularised upper incomplete gamma function for integer and
    half-integer shape: a finite Poisson-type sum for even ``df``, and ``erfc`` plus a finite sum for
    odd ``df``. Terms are computed in log space so large ``x`` does not overflow.

    Examples
    --------
    >>> round(chi2_sf(3.841458820694124, 1), 6)
    0.05
    >>> round(chi2_sf(2.0, 2), 6)  # exp(-1)
    0.367879
    """
    if df < 1:
        raise ValueError(f"df must be a positive integer, got {df}")
    if x <= 0:
        return 1.0
    half = x / 2.0
    if df % 2 == 0:
        terms = range(df // 2)  # sum_{i=0}^{df/2-1} (x/2)^i / i!
        total = sum(math.exp(i * math.log(half) - math.lgamma(i + 1) - half) for i in terms)
    else:
        total = math.erfc(math.sqrt(half))
        # + sum_{i=1}^{(df-1)/2} (x/2)^(i-1/2) / Gamma(i+1/2) * exp(-x/2)
        for i in range(1, (df - 1) // 2 + 1):
            total += math.exp((i - 0.5) * math.log(half) - math.lgamma(i + 0.5) - half)
    return min(1.0, max(0.0, total))


@dataclass(frozen=True)
class ChiSquareResult:
    """Outcome of :func:`chi_square_test`.

    ``testable`` is False when the table is too small or too sparse for the chi-square approximation;
    then ``statistic`` and ``p_value`` are NaN and ``reason`` says why in plain Norwegian.
    """

    statistic: float
    df: int
    p_value: float
    min_expected: float
    share_below_5: float
    testable: bool
    reason: str


def chi_square_test(table: Sequence[Sequence[float]]) -> ChiSquareResult:
    """Pearson chi-square test of independence for an r x c table of counts (no continuity correction).

    Rows and columns whose total is zero are dropped first (an empty group says nothing). The test is
    only run when the usual rule for the approximation holds (Cochran): every expected count at least 1
    and at most 20 % of them below 5. Otherwise the result is marked not testable with the reason.

    Parameters
    ----------
    table : sequence of sequences of counts
        For a theme by group: one row per group, columns (coded, not coded).

    Examples
    --------
    >>> result = chi_square_test([[10, 20], [30, 40]])
    >>> round(result.statistic, 4), result.df, round(result.p_value, 4)
    (0.7937, 1, 0.373)
    >>> chi_square_test([[1, 2], [0, 3]]).testable
    False
    """
    rows = [[float(v) for v in row] for row in table]
    rows = [row for row in rows if sum(row) > 0]
    if rows:
        keep = [j for j in range(len(rows[0])) if sum(row[j] for row in rows) > 0]
        rows = [[row[j] for j in keep] for row in rows]
    n_rows = len(rows)
    n_cols = len(rows[0]) if rows else 0
    nan = math.nan
    if n_rows < 2:
        return ChiSquareResult(nan, 0, nan, nan, nan, False, "bare én gruppe med svar")
    if n_cols < 2:
        return ChiSquareResult(nan, 0, nan, nan, nan, False,
                               "alle eller ingen har temaet, så det er ingen forskjell å teste")
    row_totals = [sum(row) for row in rows]
    col_totals = [sum(row[j] for row in rows) for j in range(n_cols)]
    grand = sum(row_totals)
    expected = [[row_totals[i] * col_totals[j] / grand for j in range(n_cols)] for i in range(n_rows)]
    flat = [e for row in expected for e in row]
    min_expected = min(flat)
    share_below_5 = sum(e < 5 for e in flat) / len(flat)
    df = (n_rows - 1) * (n_cols - 1)
    if min_expected < 1 or share_below_5 > 0.2:
        reason = (f"for små tall: forventet antall under 5 i {round(share_below_5 * 100)} % av cellene"
                  f" (minste {min_expected:.1f})".replace(".", ",")
                  + "; testen krever minst 1 i alle og under 5 i høyst 20 %")
        return ChiSquareResult(nan, df, nan, min_expected, share_below_5, False, reason)
    statistic = sum((rows[i][j] - expected[i][j]) ** 2 / expected[i][j]
                    for i in range(n_rows) for j in range(n_cols))
    return ChiSquareResult(statistic, df, chi2_sf(statistic, df), min_expected, share_below_5, True, "")
