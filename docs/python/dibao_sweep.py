"""Worked example of docs/python.md: sweep the rural dibao standard from 6,000 to 12,000 yuan a
year in steps of 1,000 on the national baseline, plot the changes in the Gini and in relative
poverty against the extra government cost, and join the microdata's deciles to the population.

    python docs/python/dibao_sweep.py [OUT_DIR]

Writes OUT_DIR/python_dibao_sweep.png (default docs/img/, the chart docs/python.md shows) and
prints the two tables. GONGFU_EXAMPLE_PERSONS shrinks the sample (the tests use it).
"""

import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt
import polars as pl

import gongfu

ROOT = Path(__file__).resolve().parents[2]
PERSONS = int(os.environ.get("GONGFU_EXAMPLE_PERSONS", "200000"))
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"

# The reforms: the baseline with one rural parameter changed, written as the TOML would write it.
base = gongfu.load_scenario(ROOT / "scenarios" / "baseline.toml")
standards = range(6_000, 12_001, 1_000)
reforms = [
    base.with_params({"rural": {"dibao_standard_yearly": s}}, name=f"rural_dibao_{s}")
    for s in standards
]

# One static year (the 2022 rules on the 2022 population), every reform against the baseline.
res = gongfu.run([base, *reforms], persons=PERSONS, years=2022, static=True, microdata=True)

# National changes against the baseline, one row per reform.
national = res.indicators.filter(region="all", residence="all", replication="0")
change = (
    national.filter(
        pl.col("indicator").is_in(
            ["gini_disposable_change", "poverty_rate_50_change", "fiscal_cost_total_change"]
        )
    )
    .pivot(on="indicator", index="scenario", values="value")
    .join(
        pl.DataFrame(
            {"scenario": [r.name for r in reforms], "rural_dibao_standard": list(standards)}
        ),
        on="scenario",
    )
    .sort("rural_dibao_standard")
    .with_columns(
        gini_points=pl.col("gini_disposable_change") * 100,
        poverty_points=pl.col("poverty_rate_50_change") * 100,
        cost_billion_yuan=pl.col("fiscal_cost_total_change") / 1e9,
    )
)
print(change.select("rural_dibao_standard", "cost_billion_yuan", "gini_points", "poverty_points"))

fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
ax.plot(change["cost_billion_yuan"], change["gini_points"], "o-", label="Gini of disposable income")
ax.plot(change["cost_billion_yuan"], change["poverty_points"], "s-",
        label="poverty rate (50% of median)")
for row in change.iter_rows(named=True):
    ax.annotate(f"{row['rural_dibao_standard']:,}", (row["cost_billion_yuan"], row["gini_points"]),
                textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
ax.axhline(0, color="grey", lw=0.6)
ax.set_xlabel("extra government cost, billion yuan/year (2022)")
ax.set_ylabel("change against the baseline, points")
ax.set_title("Rural dibao standard 6,000-12,000 yuan/year, national baseline, 2022")
ax.legend()
fig.tight_layout()
OUT.mkdir(parents=True, exist_ok=True)
fig.savefig(OUT / "python_dibao_sweep.png")

# Join the microdata to the population: each person's disposable-income decile (the baseline's
# ranking of household per-capita D) beside their own columns, then mean gains by decile.
population = gongfu.synth(ROOT / "synthetic_pop" / "china_2022.toml", PERSONS, 2022)
micro = res.microdata.select("scenario", "person_id", "weight", "household_per_capita_disposable")
baseline = micro.filter(scenario="baseline").sort("household_per_capita_disposable")
baseline = baseline.with_columns(
    decile=(pl.col("weight").cum_sum() / pl.col("weight").sum() * 10).ceil().clip(1, 10).cast(pl.Int8)
)
gains = (
    micro.filter(scenario="rural_dibao_9000")
    .join(baseline.select("person_id", "decile", base_d="household_per_capita_disposable"),
          on="person_id")
    .join(population.select("person_id", "residence", "age"), on="person_id")
    .with_columns(gain=pl.col("household_per_capita_disposable") - pl.col("base_d"))
    .group_by("decile", "residence")
    .agg(mean_gain_yuan=(pl.col("gain") * pl.col("weight")).sum() / pl.col("weight").sum(),
         persons=pl.col("weight").sum())
    .sort("decile", "residence")
)
print(gains)
