#!/usr/bin/env python3
"""Bounds on the Gini of any income distribution with the published quintile-group means.

Usage: scripts/gini_bound.py  (docs/validation.md, "The Gini"; standard library only)

For five non-overlapping groups with person shares a_k and means m_k, the Gini is exactly
G = G_between + sum_k a_k s_k G_k (s_k = a_k m_k / mean). A group's Gini is largest, for its mean
and a support [L, U], with all its persons at the two ends: (m - L)(U - m) / (m (U - L)); for the
open top group (m - L) / m. The boundaries x_1..x_4 between groups are unknown but ordered
(m_k <= x_k <= m_(k+1)); the tight bound searches them on a grid (coordinate ascent from many
starts), the relaxed one lets each group take the widest support on its own.

The ten residence groups (urban_ and rural_quintile_group_means_2022, five non-overlapping groups
within each residence, overlapping across them) give a second pair of bounds. Below: the Gini of
the ten groups' persons at their group means (replacing every group by its mean is a chain of
transfers from richer to poorer, which never raises the Gini, overlapping groups or not). Above:
the mean difference summed over pairs of groups, each pair at its largest: |m_i - m_j| for two
groups of the same residence (their supports are ordered), the group's two-point spread for a
group with itself, and |m_i - m_j| + d_i + d_j (d the largest mean absolute deviation on the
group's support) for an urban and a rural group whose supports overlap. Any distribution meeting
all fifteen published groups lies under both upper bounds and over both lower ones.
"""
import itertools

# [national.income] quintile_group_means_2022 (groups of equal numbers of households)
MEANS = [8_601, 19_303, 30_598, 47_397, 90_116]
# Person shares of the household groups: equal, and the model's 2022 baseline on the survey basis
# (scripts/calibrate.py, "persons"; calibration v2); with these the groups average to 36,889
# against the official national mean of 36,883.
SHARES = {"equal person shares": [0.2] * 5, "the model's person shares": [0.190, 0.239, 0.211, 0.195, 0.165]}
# urban_quintile_group_means_2022, rural_quintile_group_means_2022 (yearbook, conf M) and the
# model's person shares within each residence (scripts/calibrate.py); the survey's urban share
# weights the residences, as in the national figures.
RESIDENCE_MEANS = {"urban": [16_971, 31_180, 44_283, 61_724, 107_224], "rural": [5_025, 11_965, 17_451, 24_646, 46_075]}
RESIDENCE_SHARES = {"urban": [0.187, 0.229, 0.215, 0.201, 0.169], "rural": [0.170, 0.239, 0.228, 0.205, 0.159]}
SURVEY_URBAN_SHARE = (36_883 - 20_133) / (49_283 - 20_133)  # [national.income] 2022 means


def within(m, lower, upper):
    """Largest Gini of a group with mean m on [lower, upper] (upper None: open)."""
    if upper is None:
        return (m - lower) / m
    return 0.0 if upper <= lower else (m - lower) * (upper - m) / (m * (upper - lower))


def between(a, m):
    """Gini of the groups' persons all at their group means."""
    mu = sum(x * y for x, y in zip(a, m))
    return sum(a[i] * a[j] * abs(m[i] - m[j]) for i in range(5) for j in range(5)) / (2 * mu)


def largest(a, m, supports):
    """Between-group Gini plus every group's largest own Gini on its support (lower, upper)."""
    mu = sum(x * y for x, y in zip(a, m))
    return between(a, m) + sum(a[k] * (a[k] * m[k] / mu) * within(m[k], *supports[k]) for k in range(5))


def shared(bounds):
    """Supports of the five groups from the four boundaries between them."""
    edges = [0.0] + list(bounds) + [None]
    return [(edges[k], edges[k + 1]) for k in range(5)]


def tight(a, m, steps=60):
    grids = [[m[k] + (m[k + 1] - m[k]) * i / steps for i in range(steps + 1)] for k in range(4)]
    best = 0.0
    for start in itertools.product(*[(g[5], g[steps // 2], g[-6]) for g in grids]):
        x = list(start)
        for _ in range(10):
            for k in range(4):
                x[k] = max(grids[k], key=lambda v: largest(a, m, shared(x[:k] + [v] + x[k + 1:])))
        best = max(best, largest(a, m, shared(x)))
    return best


# relaxed: each group on the widest support its neighbours' means allow (bottom from 0, top open)
RELAXED = [((MEANS[k - 1] if k else 0.0), (MEANS[k + 1] if k < 4 else None)) for k in range(5)]
for label, a in SHARES.items():
    print(f"{label}: between-group {between(a, MEANS):.4f}, largest Gini {tight(a, MEANS):.4f}"
          f" (relaxed bound {largest(a, MEANS, RELAXED):.4f})")


def deviation(m, lower, upper):
    """Largest mean absolute deviation (and mean difference) of a group with mean m on
    [lower, upper] (upper None: open): persons at the two ends."""
    if upper is None:
        return 2 * (m - lower)
    return 0.0 if upper <= lower else 2 * (m - lower) * (upper - m) / (upper - lower)


def residence_bounds(survey_share):
    """(between-group Gini, upper bound) of the ten residence groups, urban persons holding
    survey_share of the weight."""
    groups = []
    for res, share in (("urban", survey_share), ("rural", 1 - survey_share)):
        m = RESIDENCE_MEANS[res]
        for k in range(5):
            support = (m[k - 1] if k else 0.0, m[k + 1] if k < 4 else None)
            groups.append((share * RESIDENCE_SHARES[res][k], m[k], res, support))
    mu = sum(a * m for a, m, _, _ in groups)
    total = sum(a for a, _, _, _ in groups)
    low = up = 0.0
    for i, (a, m, r, (lo, hi)) in enumerate(groups):
        for j, (b, n, s, (lo2, hi2)) in enumerate(groups):
            low += a * b * abs(m - n)
            if i == j:
                up += a * a * deviation(m, lo, hi)
            elif r == s or (hi2 is not None and hi2 <= lo) or (hi is not None and hi <= lo2):
                up += a * b * abs(m - n)
            else:
                up += a * b * min(abs(m - n) + deviation(m, lo, hi) + deviation(n, lo2, hi2), m + n)
    return low / (2 * mu * total), up / (2 * mu * total)


low, up = residence_bounds(SURVEY_URBAN_SHARE)
print(f"ten residence groups (survey urban share {SURVEY_URBAN_SHARE:.4f}): between-group {low:.4f},"
      f" upper bound {up:.4f}")
