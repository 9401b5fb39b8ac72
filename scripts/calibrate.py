#!/usr/bin/env python3
"""Compare a gongfu run folder's 2022 figures with the official targets (docs/validation.md).

Usage: scripts/calibrate.py RUN_FOLDER [SCENARIO]
Prints target, simulated, relative or absolute error and tolerance for each calibrated figure.
The targets are transcribed from ../shared/data/calibration_targets.toml (keys named).
When the run wrote microdata as CSV (`--microdata-csv`), the national figures are also printed on the NBS
survey's basis: urban persons reweighted to the survey's urban share, the one that makes the
official urban and rural means average to the official national mean.
"""
import csv
import glob
import sys

# (label, indicator, residence, target, tolerance, kind) -- kind "abs" or "rel"
NATIONAL = [
    ("gini (national.income.gini_2022)", "gini_disposable", "all", 0.467, 0.01, "abs"),
    ("urban-rural ratio (urban_rural_ratio_2022)", "urban_rural_ratio", "all", 2.45, 0.05, "abs"),
    ("urban mean (urban_mean_2022)", "mean_disposable", "urban", 49283, 0.03, "rel"),
    ("rural mean (rural_mean_2022)", "mean_disposable", "rural", 20133, 0.03, "rel"),
    ("urban median (urban_median_2022)", "median_disposable", "urban", 45123, 0.03, "rel"),
    ("rural median (rural_median_2022)", "median_disposable", "rural", 17734, 0.03, "rel"),
    ("dibao recipients (assistance.dibao_recipients_2022)", "beneficiaries_dibao", "all", 40.32e6, 0.2, "rel"),
    ("te-kun persons (assistance.tekun_persons_2021)", "beneficiaries_tekun", "all", 4.701e6, 0.2, "rel"),
    ("national mean, reported (mean_2022)", "mean_disposable", "all", 36883, None, "rel"),
    ("national median, reported (median_2022)", "median_disposable", "all", 31370, None, "rel"),
]
# Medical security (tests/medical_calibration.rs; docs/validation.md "Medical security"): (label,
# year, indicator, target, tolerance). Assistance needs last year's status, so 2023 (a run of
# 2022..2023). Temporary assistance: 2021 figures x dibao recipients 2022 / 2021 (40.32 / 42.123).
TEMPORARY_SCALE = 40.32e6 / 42.123e6
MEDICAL = [
    ("insured persons (medical.bmi_insured_2022)", "2022", "beneficiaries_medical_insurance", 1_345.9e6, 0.05),
    ("admissions per 100 (medical.inpatient_admissions_2022)", "2022", "inpatient_admissions_per_100", 17.5, 0.15),
    ("medical assistance spending 2023 (medical_assistance_2022)", "2023", "fiscal_cost_medical_assistance", 62.6e9, 0.25),
    ("premiums paid, persons 2023 (medical_assistance_2022)", "2023", "medical_premium_paid_persons", 81.86e6, 0.25),
    ("temporary assistance persons 2023 (2021 scaled)", "2023", "beneficiaries_temporary_assistance", 11.986e6 * TEMPORARY_SCALE, 0.3),
    ("temporary assistance spending 2023 (2021 scaled)", "2023", "fiscal_cost_temporary_assistance", 13.84e9 * TEMPORARY_SCALE, 0.3),
]
# province: (urban-rural ratio, urban mean, rural mean), [<province>] income_2022 / urban_rural_ratio_2022
PROVINCE = {
    "zhejiang": (1.90, 71_268, 37_565),
    "jiangsu": (2.11, 60_178, 28_486),
    "xinjiang": (2.32, 38_410, 16_550),
    "inner_mongolia": (2.36, 46_295, 19_641),
}


def load(folder, scenario):
    values, fiscal = {}, {}
    with open(f"{folder}/indicators.csv") as f:
        for r in csv.DictReader(f):
            if r["replication"] == "mean" and r["year"] == "2022" and r["region"] == "all" and (
                scenario is None or r["scenario"] == scenario
            ):
                values[(r["indicator"], r["residence"])] = float(r["value"])
    with open(f"{folder}/fiscal.csv") as f:
        for r in csv.DictReader(f):
            if r["replication"] == "mean" and r["year"] == "2022" and (
                scenario is None or r["scenario"] == scenario
            ):
                fiscal[(r["program"], r["payer"])] = r
    return values, fiscal


def main():
    folder = sys.argv[1]
    scenario = sys.argv[2] if len(sys.argv) > 2 else None
    values, fiscal = load(folder, scenario)
    rows = list(NATIONAL)
    province = (scenario or "").removesuffix("_baseline")
    if province in PROVINCE:
        ratio, urban, rural = PROVINCE[province]
        rows = [
            (f"{province} urban-rural ratio", "urban_rural_ratio", "all", ratio, 0.05, "abs"),
            (f"{province} urban mean", "mean_disposable", "urban", urban, 0.03, "rel"),
            (f"{province} rural mean", "mean_disposable", "rural", rural, 0.03, "rel"),
            ("gini (reported)", "gini_disposable", "all", 0.467, None, "abs"),
        ]
    for label, ind, res, target, tol, kind in rows:
        sim = values.get((ind, res))
        if sim is None:
            print(f"{label:55s} missing")
            continue
        err = sim - target if kind == "abs" else sim / target - 1
        ok = "" if tol is None else ("ok" if abs(err) <= tol else "MISS")
        print(f"{label:55s} target {target:>14,.3f} sim {sim:>14,.3f} err {err:+.4f} tol {tol} {ok}")
    rp = fiscal.get(("resident_pension", "government"))
    if rp and province not in PROVINCE:
        monthly = float(rp["mean_benefit_yuan"]) / 12
        err = monthly / 205 - 1
        print(f"{'resident pension avg/month (resident_avg_pension_monthly_2022)':55s} target {205:>14,.3f} sim {monthly:>14,.3f} err {err:+.4f} tol 0.1 {'ok' if abs(err) <= 0.1 else 'MISS'}")
        print(f"{'resident pension beneficiaries':55s} sim {float(rp['beneficiaries_persons']):>14,.0f}")

    if province not in PROVINCE:
        survey_basis(folder, scenario or "baseline")
        medical(folder, scenario)


def medical(folder, scenario):
    values = {}
    with open(f"{folder}/indicators.csv") as f:
        for r in csv.DictReader(f):
            if r["replication"] == "mean" and r["region"] == "all" and r["residence"] == "all" and (
                scenario is None or r["scenario"] == scenario
            ):
                values[(r["year"], r["indicator"])] = r["value"]
    print("medical security:")
    for label, year, ind, target, tol in MEDICAL:
        sim = values.get((year, ind))
        if not sim:
            print(f"{'  ' + label:55s} missing (run 2022..2023)")
            continue
        err = float(sim) / target - 1
        print(f"{'  ' + label:55s} target {target:>14,.3f} sim {float(sim):>14,.3f} err {err:+.4f} tol {tol} {'ok' if abs(err) <= tol else 'MISS'}")


# [national.income] 2022: mean_2022, urban_mean_2022, rural_mean_2022, quintile_group_means_2022
SURVEY_URBAN_SHARE = (36_883 - 20_133) / (49_283 - 20_133)
QUINTILE_GROUP_MEANS = [8_601, 19_303, 30_598, 47_397, 90_116]
# urban_quintile_group_means_2022, rural_quintile_group_means_2022 (yearbook, conf M)
RESIDENCE_GROUP_MEANS = {True: [16_971, 31_180, 44_283, 61_724, 107_224], False: [5_025, 11_965, 17_451, 24_646, 46_075]}


def quintile_groups(rows):
    """Person-weighted means and person counts of the five household quintile groups of rows
    (household_id, weight, urban, per-capita income)."""
    households = {}
    for h, w, _, y in rows:
        e = households.setdefault(h, [y, w, 0])
        e[2] += 1
    hh = sorted(households.values())
    hh_total = sum(w for _, w, _ in hh)
    groups = [[0.0, 0.0] for _ in range(5)]
    c = 0.0
    for y, w, size in hh:
        g = min(4, int((c + w / 2) / hh_total * 5))
        c += w
        groups[g][0] += w * size
        groups[g][1] += w * size * y
    return groups


def survey_basis(folder, scenario):
    files = glob.glob(f"{folder}/microdata/{scenario}_2022.csv")
    if not files:
        return
    rows = []
    with open(files[0]) as f:
        for r in csv.DictReader(f):
            rows.append((r["household_id"], float(r["weight"]), r["residence"] == "urban",
                         float(r["household_per_capita_disposable"])))
    total = sum(r[1] for r in rows)
    urban = sum(r[1] for r in rows if r[2])
    fu, fr = SURVEY_URBAN_SHARE * total / urban, (1 - SURVEY_URBAN_SHARE) * total / (total - urban)
    rows = [(h, w * (fu if u else fr), u, y) for h, w, u, y in rows]
    mean = sum(w * y for _, w, _, y in rows) / total
    ordered = sorted(rows, key=lambda r: r[3])
    cum = area = 0.0
    below = 0.0
    median = None
    for _, w, _, y in ordered:
        area += w * (2 * cum + w * y)
        cum += w * y
        below += w
        if median is None and below >= total / 2:
            median = y
    gini = 1 - area / (total * cum)
    groups = quintile_groups(rows)
    print(f"on the survey basis (urban share {SURVEY_URBAN_SHARE:.4f}):")
    print(f"{'  national mean (mean_2022)':55s} target {36_883:>14,.3f} sim {mean:>14,.3f} err {mean / 36_883 - 1:+.4f}")
    print(f"{'  national median (median_2022)':55s} target {31_370:>14,.3f} sim {median:>14,.3f} err {median / 31_370 - 1:+.4f}")
    print(f"{'  gini (gini_2022)':55s} target {0.467:>14,.3f} sim {gini:>14,.4f} err {gini - 0.467:+.4f}")
    for k, ((n, inc), official) in enumerate(zip(groups, QUINTILE_GROUP_MEANS)):
        sim = inc / n
        print(f"{f'  household quintile group {k + 1} (quintile_group_means_2022)':55s} target {official:>14,.3f} sim {sim:>14,.3f} err {sim / official - 1:+.4f}  persons {n / total:.3f}")
    for urban, name in ((True, "urban"), (False, "rural")):
        part = [r for r in rows if r[2] == urban]
        persons = sum(r[1] for r in part)
        for k, ((n, inc), official) in enumerate(zip(quintile_groups(part), RESIDENCE_GROUP_MEANS[urban])):
            sim = inc / n
            print(f"{f'{name} household quintile group {k + 1} ({name}_quintile_group_means_2022)':55s} target {official:>14,.3f} sim {sim:>14,.3f} err {sim / official - 1:+.4f}  persons {n / persons:.3f}")


main()
