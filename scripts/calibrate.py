#!/usr/bin/env python3
"""Compare a gongfu run folder's 2022 figures with the official targets (docs/validation.md).

Usage: scripts/calibrate.py RUN_FOLDER [SCENARIO] [--region-targets KEY]
Prints target, simulated, relative or absolute error and tolerance for each calibrated figure.
The targets are transcribed from /work/shared/data/calibration_targets.toml (keys named).
"""
import csv
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


main()
