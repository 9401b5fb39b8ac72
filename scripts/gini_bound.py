#!/usr/bin/env python3
"""Bounds on the Gini of any income distribution with the published quintile-group means.

Usage: scripts/gini_bound.py  (docs/validation.md, "The Gini"). The national and residence bounds
use the standard library only; the joint bound over all fifteen groups solves linear programs with
scipy (pinned in scripts/gini_bound_requirements.txt, installed by this script in
target/gini-bound-venv when missing). About 1 minute.

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

The joint upper bound (all fifteen groups at once, `joint_bound`): for given boundaries between
the groups of each partition (urban, rural, national), every group lies in its interval, and the
largest Gini is a concave maximisation over distributions: the mean difference 2 int F (1 - F) dy
is concave in the distribution F, and the groups' masses, means and intervals and the identity of
the urban-plus-rural and the national distributions are linear constraints. On a grid of incomes
that holds every boundary (and 0, and an atom of income without mass at infinity for the open top
groups) the maximum is an upper bound for those boundaries: any distribution meeting the
constraints maps onto the grid by splitting each income between its two neighbouring grid points
(keeping every group's mass and mean, and so every constraint), a mean-preserving spread, which
never lowers the Gini. F (1 - F) is replaced by the minimum of its tangents, added where the linear
program's solution lies until the two agree within 1e-5 (each program's value is itself an upper
bound). The boundaries are then searched (coordinate ascent, as for the national groups). The
national groups' person shares are the model's within +-TAU: with the model's shares exactly the
fifteen published means are inconsistent (the residence groups average to 37,476 on the survey
basis, the national ones to 36,889), and TAU = 0.01 is the smallest hundredth that is consistent.
"""
import itertools
import os
import subprocess
import sys


def with_scipy():
    """Imports numpy and scipy, installing the pinned versions in a virtual environment under
    target/ and running this script again there when they are missing."""
    try:
        import numpy
        import scipy.optimize
        import scipy.sparse
        return numpy, scipy
    except ImportError:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        venv = os.path.join(root, "target", "gini-bound-venv")
        python = os.path.join(venv, "bin", "python")
        if os.path.realpath(sys.prefix) == os.path.realpath(venv):
            raise SystemExit("numpy/scipy missing in target/gini-bound-venv: remove it and rerun")
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        requirements = os.path.join(root, "scripts", "gini_bound_requirements.txt")
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", requirements], check=True)
        os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


np, scipy = with_scipy()

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


# ---- The joint bound over all fifteen groups (see the docstring) ----
from scipy.optimize import linprog  # noqa: E402
from scipy.sparse import coo_matrix  # noqa: E402

GRID_STEP = 5_000.0   # yuan between grid points (boundaries and means are added to the grid)
GRID_TOP = 400_000.0  # the last grid point; above it only the atom at infinity
TAU = 0.01            # national person shares within +-TAU of the model's


def joint_bound(groups, national=(), national_shares=None, step=GRID_STEP, top=GRID_TOP):
    """Largest Gini of a distribution of unit mass made of `groups` (mass, mean, lower, upper or
    None for an open top), that is also made of `national` groups (mean, lower, upper or None) of
    masses within `national_shares` (lower, upper) pairs. None when no distribution has them."""
    points = {0.0, top} | set(np.arange(0.0, top, step).tolist())
    for g in list(groups) + list(national):
        points |= {x for x in g[-3:] if x is not None}
    y = np.array(sorted(x for x in points if x <= top))
    n_y = len(y)
    columns = []

    def column():
        columns.append(None)
        return len(columns) - 1

    def inside(lower, upper):
        return [j for j in range(n_y) if y[j] >= lower and (upper is None or y[j] <= upper)]

    p = [[(j, column()) for j in inside(g[2], g[3])] for g in groups]
    q = [[(j, column()) for j in inside(g[1], g[2])] for g in national]
    at_infinity = [column() if g[3] is None else None for g in groups]
    national_infinity = [column() if g[2] is None else None for g in national]
    cumulative = [column() for _ in range(n_y - 1)]
    z = [column() for _ in range(n_y - 1)]
    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
    for g, (mass, mean, _, _) in enumerate(groups):
        eq_rows.append([(c, 1.0) for _, c in p[g]])
        eq_rhs.append(mass)
        income = [(c, y[j] / mean) for j, c in p[g]]
        if at_infinity[g] is not None:
            income.append((at_infinity[g], 1.0 / mean))
        eq_rows.append(income)
        eq_rhs.append(mass)
    for k, (mean, _, _) in enumerate(national):
        income = [(c, (y[j] - mean) / mean) for j, c in q[k]]
        if national_infinity[k] is not None:
            income.append((national_infinity[k], 1.0 / mean))
        eq_rows.append(income)
        eq_rhs.append(0.0)
        if national_shares is not None:
            lower, upper = national_shares[k]
            ub_rows += [[(c, 1.0) for _, c in q[k]], [(c, -1.0) for _, c in q[k]]]
            ub_rhs += [upper, -lower]
    if national:
        same = [[] for _ in range(n_y)]
        for g in range(len(groups)):
            for j, c in p[g]:
                same[j].append((c, 1.0))
        for k in range(len(national)):
            for j, c in q[k]:
                same[j].append((c, -1.0))
        eq_rows += same
        eq_rhs += [0.0] * n_y
        eq_rows.append([(c, 1.0) for c in at_infinity if c is not None]
                       + [(c, -1.0) for c in national_infinity if c is not None])
        eq_rhs.append(0.0)
    below = []
    for j in range(n_y - 1):
        below += [c for g in range(len(groups)) for jj, c in p[g] if jj == j]
        eq_rows.append([(cumulative[j], 1.0)] + [(c, -1.0) for c in below])
        eq_rhs.append(0.0)

    def matrix(rows):
        r = [i for i, row in enumerate(rows) for _ in row]
        c = [col for row in rows for col, _ in row]
        v = [val for row in rows for _, val in row]
        return coo_matrix((v, (r, c)), shape=(len(rows), len(columns))).tocsr()

    a_eq = matrix(eq_rows)
    mu = sum(mass * mean for mass, mean, _, _ in groups)
    dy = np.diff(y)
    cost = np.zeros(len(columns))
    cost[z] = -dy / mu           # Gini = (2 sum dy F (1 - F) + 2 income at infinity) / (2 mu)
    cost[[c for c in at_infinity if c is not None]] = -1.0 / mu
    tangents = [{0.0, 0.5, 1.0} for _ in range(n_y - 1)]
    while True:
        # z_j <= c^2 + (1 - 2c) F_j: the tangent of F (1 - F) at c.
        cuts = [[(z[j], 1.0), (cumulative[j], -(1.0 - 2.0 * c))] for j in range(n_y - 1) for c in sorted(tangents[j])]
        rhs = [c * c for j in range(n_y - 1) for c in sorted(tangents[j])]
        # HiGHS's presolve may end on "infeasible or unbounded" (status 15); without it the
        # simplex says which (the program is bounded: z <= the tangents, F <= 1).
        for presolve in (True, False):
            result = linprog(cost, A_ub=matrix(ub_rows + cuts), b_ub=np.array(ub_rhs + rhs),
                             A_eq=a_eq, b_eq=np.array(eq_rhs), bounds=(0, None), method="highs",
                             options={"presolve": presolve})
            if result.status in (0, 2):
                break
        if result.status == 2:
            return None
        if result.status != 0:
            raise SystemExit(f"joint bound: the linear program failed: {result.message}")
        f = np.clip(result.x[cumulative], 0.0, 1.0)
        value = (np.sum(dy * f * (1.0 - f)) + sum(result.x[c] for c in at_infinity if c is not None)) / mu
        if -result.fun - value < 1e-5:
            return -result.fun
        added = False
        for j in range(n_y - 1):
            # A tangent next to one already there adds nothing but degeneracy.
            if min(abs(f[j] - c) for c in tangents[j]) > 1e-6:
                tangents[j].add(float(f[j]))
                added = True
        if not added:
            return -result.fun  # still an upper bound: the tangents lie above F (1 - F)


def partition(means, masses, edges):
    """Groups of one partition with boundaries `edges` (masses None: the national groups)."""
    bounds = [0.0] + list(edges) + [None]
    if masses is None:
        return [(means[k], bounds[k], bounds[k + 1]) for k in range(5)]
    return [(masses[k], means[k], bounds[k], bounds[k + 1]) for k in range(5)]


def fifteen(edges, shares, tau):
    """The joint bound at boundaries `edges` (urban, rural, national), or -1 if inconsistent."""
    urban = [SURVEY_URBAN_SHARE * a for a in RESIDENCE_SHARES["urban"]]
    rural = [(1 - SURVEY_URBAN_SHARE) * a for a in RESIDENCE_SHARES["rural"]]
    groups = partition(RESIDENCE_MEANS["urban"], urban, edges[0]) + partition(RESIDENCE_MEANS["rural"], rural, edges[1])
    g = joint_bound(groups, partition(MEANS, None, edges[2]), [(a - tau, a + tau) for a in shares])
    return -1.0 if g is None else g


def search_joint(shares, tau, steps=8, sweeps=4):
    """Coordinate ascent over the twelve boundaries, each on the `steps` - 1 inner points of a
    grid between its two means (a boundary at a mean leaves the group no room: its persons all
    at the mean), from the midpoints."""
    parts = [RESIDENCE_MEANS["urban"], RESIDENCE_MEANS["rural"], MEANS]
    edges = [[(m[k] + m[k + 1]) / 2 for k in range(4)] for m in parts]
    best = fifteen(edges, shares, tau)
    for _ in range(sweeps):
        before = best
        for part, m in enumerate(parts):
            for k in range(4):
                for i in range(1, steps):
                    trial = [list(e) for e in edges]
                    trial[part][k] = m[k] + (m[k + 1] - m[k]) * i / steps
                    g = fifteen(trial, shares, tau)
                    if g > best + 1e-9:
                        best, edges = g, trial
        if best <= before + 1e-6:
            break
    return best


# The method on hand cases: one group of mean 10 on [4, 20] has at most the two-point Gini
# (10 - 4)(20 - 10) / (10 (20 - 4)) = 0.375; on [0, open) it approaches 1 (income at infinity).
assert abs(joint_bound([(1.0, 10.0, 4.0, 20.0)], step=1.0, top=40.0) - 0.375) < 1e-5
assert abs(joint_bound([(1.0, 10.0, 0.0, None)], step=1.0, top=40.0) - 1.0) < 1e-5
# Two groups of one partition with their means as the only boundary reproduce the national
# formula `largest` (between-group plus each group's two-point Gini) on that support.
two = [(0.5, 10.0, 0.0, 15.0), (0.5, 30.0, 15.0, None)]
formula = largest([0.5, 0.5, 0.0, 0.0, 0.0], [10.0, 30.0, 30.0, 30.0, 30.0], [(0.0, 15.0), (15.0, None)] + [(30.0, 30.0)] * 3)
assert abs(joint_bound(two, step=1.0, top=100.0) - formula) < 1e-5, (joint_bound(two, step=1.0, top=100.0), formula)

joint = search_joint(SHARES["the model's person shares"], TAU)
looser = search_joint(SHARES["the model's person shares"], 2 * TAU)
print(f"all fifteen groups (national person shares the model's +-{TAU}): largest Gini {joint:.4f}"
      f" (+-{2 * TAU}: {looser:.4f})")
