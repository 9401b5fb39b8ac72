#!/usr/bin/env python3
"""Bounds on the Gini of any income distribution with the published quintile-group means.

Usage: scripts/gini_bound.py  (docs/validation.md, "The Gini"; standard library only)

For five non-overlapping groups with person shares a_k and means m_k, the Gini is exactly
G = G_between + sum_k a_k s_k G_k (s_k = a_k m_k / mean). A group's Gini is largest, for its mean
and a support [L, U], with all its persons at the two ends: (m - L)(U - m) / (m (U - L)); for the
open top group (m - L) / m. The boundaries x_1..x_4 between groups are unknown but ordered
(m_k <= x_k <= m_(k+1)); the tight bound searches them on a grid (coordinate ascent from many
starts), the relaxed one lets each group take the widest support on its own.
"""
import itertools

# [national.income] quintile_group_means_2022 (groups of equal numbers of households)
MEANS = [8_601, 19_303, 30_598, 47_397, 90_116]
# Person shares of the household groups: equal, and the model's 2022 baseline on the survey basis
# (scripts/calibrate.py, "persons"); with these the groups average to 36,914 against the official
# national mean of 36,883.
SHARES = {"equal person shares": [0.2] * 5, "the model's person shares": [0.188, 0.241, 0.209, 0.195, 0.167]}


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
