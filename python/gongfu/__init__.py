"""gongfu (共富): a microsimulator of China's social-security rules, from Python.

The same Rust library as the ``gongfu`` command line: scenarios load and validate with the same
errors, runs give the same numbers, and the results come back as polars DataFrames that share
the library's Arrow memory (``.to_pandas()`` converts). See docs/python.md.

    import gongfu
    base = gongfu.load_scenario("scenarios/baseline.toml")
    reform = base.with_params({"rural": {"dibao_standard_yearly": 9000}}, name="rural_9000")
    res = gongfu.run([base, reform], persons=20_000, years=(2022, 2025))
    res.indicators.filter(indicator="gini_disposable")
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, Union

import polars as pl

from . import _gongfu
from ._gongfu import GongfuError, Scenario, __version__

__all__ = [
    "GongfuError",
    "Result",
    "Scenario",
    "__version__",
    "load_grid",
    "load_scenario",
    "run",
    "stats",
    "synth",
]

PathLike = Union[str, "os.PathLike[str]"]
Progress = Callable[[str, int, int, int, int], Any]


def load_scenario(path: PathLike) -> Scenario:
    """Load a scenario file (and the files it ``extends``), checked as ``gongfu validate`` does.

    Raises GongfuError naming the file, line and key of the first problem.
    """
    return _gongfu.load_scenario(os.fspath(path))


def load_grid(path: PathLike) -> list[Scenario]:
    """Load a scenario file and expand its ``[grid]``: one scenario per point, in grid order,
    named as ``gongfu run`` names them (``NAME[key=value]``); the file's own scenario alone when
    it declares no grid. A point cannot take ``with_params``: set the parameter in the file.
    """
    return _gongfu.load_scenarios(os.fspath(path))


class Result:
    """The results of :func:`run`: the tables of a run folder as polars DataFrames.

    ``indicators``, ``deciles``, ``fiscal`` and ``lorenz`` have the columns of the files of the
    same names (docs/indicators.md); ``microdata`` (when the run asked for it) the per-person
    columns of ``microdata/*.parquet``; ``scenarios`` the resolved parameters of every scenario,
    year, region and residence. ``write(dir)`` writes the run folder the command line writes.
    """

    def __init__(self, native: Any, microdata_dir: Path | None, keep: Any = None) -> None:
        self._native = native
        # The library writes microdata as files (Parquet per scenario and year); they
        # stay in this folder (a temporary one unless `out` was given) for `write`.
        self._microdata_dir = microdata_dir
        self._keep = keep
        self._microdata: pl.DataFrame | None = None

    @property
    def indicators(self) -> pl.DataFrame:
        """Indicator values, long format (scenario, replication, year, region, residence,
        indicator, value, ci_low, ci_high)."""
        return self._native.frame("indicators")

    @property
    def deciles(self) -> pl.DataFrame:
        """Decile table of the final year (replication 0), by the reference's ranking."""
        return self._native.frame("deciles")

    @property
    def fiscal(self) -> pl.DataFrame:
        """Cost and reach per program and payer, yuan/year and weighted persons."""
        return self._native.frame("fiscal")

    @property
    def lorenz(self) -> pl.DataFrame:
        """Lorenz points of disposable income, first and last year."""
        return self._native.frame("lorenz")

    @property
    def microdata(self) -> pl.DataFrame:
        """Per-person outcomes of replication 0, every scenario and year (``microdata=True``)."""
        if self._microdata_dir is None:
            raise ValueError("this run kept no microdata; pass microdata=True to gongfu.run")
        if self._microdata is None:
            files = sorted(self._microdata_dir.glob("*.parquet"))
            self._microdata = pl.concat([pl.read_parquet(f) for f in files])
        return self._microdata

    @property
    def scenarios(self) -> pl.DataFrame:
        """Resolved parameters: scenario, year, region, residence, parameter, value (text as in
        the manifest; money in yuan per year)."""
        return self._native.parameters()

    @property
    def scenario_names(self) -> list[str]:
        """Scenario names, reference first."""
        return list(self._native.scenario_names)

    @property
    def reference(self) -> str:
        """The reference scenario (differences and deciles are against it)."""
        return self._native.reference

    @property
    def years(self) -> tuple[int, int]:
        """First and last simulated year."""
        return tuple(self._native.years)

    def write(self, dir: PathLike) -> Path:
        """Write the run folder the command line writes (tables, manifest, charts, report,
        summary.csv) into ``dir``; returns its path. Microdata kept by the run go to
        ``dir/microdata/``."""
        out = Path(dir)
        self._native.write(os.fspath(out))
        if self._microdata_dir is not None:
            target = out / "microdata"
            if target.resolve() != self._microdata_dir.resolve():
                shutil.copytree(self._microdata_dir, target, dirs_exist_ok=True)
        return out

    def __repr__(self) -> str:
        a, b = self.years
        return f"<gongfu.Result {self.scenario_names} {a}..{b}>"


def _scenarios(scenarios: Any) -> list[Scenario]:
    if isinstance(scenarios, (str, os.PathLike, Scenario)):
        scenarios = [scenarios]
    out = []
    for s in scenarios:
        if isinstance(s, Scenario):
            out.append(s)
        else:
            # Folders and `*` patterns expand as on the command line.
            # A grid file stands for its points, as on the command line.
            for f in _gongfu.expand([os.fspath(s)]):
                out.extend(load_grid(f))
    if not out:
        raise ValueError("no scenario to run")
    return out


def _years(years: Any) -> tuple[int, int] | None:
    if years is None:
        return None
    if isinstance(years, int):
        return (years, years)
    if isinstance(years, str):
        a, _, b = years.partition("..")
        return (int(a), int(b or a))
    if isinstance(years, range):
        return (years.start, years.stop - 1)
    a, b = years
    return (int(a), int(b))


def _frame(df: Any) -> pl.DataFrame:
    if isinstance(df, pl.DataFrame):
        return df
    if type(df).__module__.startswith("pandas"):
        return pl.from_pandas(df)
    raise TypeError(f"expected a polars or pandas DataFrame, not {type(df).__name__}")


def _tqdm_progress() -> tuple[Progress | None, Callable[[], None]]:
    """A tqdm bar when tqdm is installed, else no progress."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None, lambda: None
    bar = None

    def report(scenario: str, replication: int, year: int, done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="year")
        bar.set_description(f"{scenario} rep {replication} {year}")
        bar.update(done - bar.n)

    return report, lambda: bar.close() if bar is not None else None


def run(
    scenarios: Union[PathLike, Scenario, Iterable[Union[PathLike, Scenario]]],
    persons: int | None = None,
    population: Union[PathLike, pl.DataFrame, Any, None] = None,
    years: Union[str, int, range, Sequence[int], None] = None,
    seed: int | None = None,
    replications: int | None = None,
    out: PathLike | None = None,
    *,
    static: bool = False,
    microdata: bool = False,
    chunk_households: int | None = None,
    progress: Union[Progress, bool, None] = None,
) -> Result:
    """Run scenarios on their shared start population, as ``gongfu run`` does, in memory.

    scenarios: scenario files, folders of them, or :class:`Scenario` objects; the one with
        ``reference = true``, else the first, is the reference.
    persons, seed, replications: as ``--persons``, ``--seed``, ``--replications``.
    population: a population file (.parquet or .csv) or a polars/pandas DataFrame with the
        population columns (written to a temporary Parquet file and read and checked as a file).
    years: ``"2022..2030"``, ``(2022, 2030)``, ``range(2022, 2031)`` or one year.
    out: also write the run folder there (as :meth:`Result.write`).
    static: ``--static``; microdata: keep per-person outcomes (``Result.microdata``).
    progress: a callable ``(scenario, replication, year, done, total)`` called after each
        simulated year; ``None`` shows a tqdm bar when tqdm is installed; ``False`` shows nothing.

    The run releases the GIL; Ctrl-C stops it at the next year boundary (KeyboardInterrupt).
    Bad input raises GongfuError with ``file``, ``line``, ``key`` (and ``row``, ``column``).
    """
    tmp = tempfile.mkdtemp(prefix="gongfu-")
    close = lambda: None  # noqa: E731
    keep = None
    try:
        if population is not None and not isinstance(population, (str, os.PathLike)):
            path = Path(tmp) / "population.parquet"
            _frame(population).write_parquet(path)
            population = path
        if progress is None:
            progress, close = _tqdm_progress()
        elif progress is False:
            progress = None
        micro_dir = None
        if microdata and out is not None:
            micro_dir = Path(out) / "microdata"
        elif microdata:
            keep = tempfile.TemporaryDirectory(prefix="gongfu-microdata-")
            micro_dir = Path(keep.name)
        if micro_dir is not None:
            micro_dir.mkdir(parents=True, exist_ok=True)
        native = _gongfu.run(
            _scenarios(scenarios),
            persons=persons,
            population=None if population is None else os.fspath(population),
            years=_years(years),
            seed=seed,
            replications=replications,
            static_year=static,
            microdata=None if micro_dir is None else os.fspath(micro_dir),
            chunk_households=chunk_households,
            progress=progress,
            command_line="gongfu.run (Python)",
        )
        result = Result(native, micro_dir, keep)
        if out is not None:
            result.write(out)
        return result
    finally:
        close()
        shutil.rmtree(tmp, ignore_errors=True)


def synth(spec: PathLike, persons: int, seed: int) -> pl.DataFrame:
    """Generate a synthetic population from a spec (synthetic_pop/*.toml), as ``gongfu synth``:
    the person table with the columns of a population file. A calibration target missed beyond
    its tolerance raises GongfuError with the validation table (``gongfu synth`` writes the file
    and then fails)."""
    return _gongfu.synth(os.fspath(spec), persons, seed)


def stats(
    df: Any,
    income: str,
    weight: str | None = None,
    by: str | None = None,
) -> pl.DataFrame:
    """Summary indicators of one income column of any frame, as ``gongfu stats``: Gini, Theil,
    MLD, Palma, P90/P10, quintile shares, relative poverty rates; one row, or one per value of
    column ``by``. Raises GongfuError naming the row and column of a bad value."""
    import json

    got = json.loads(_gongfu.stats_json(_frame(df), income, weight, by))
    return pl.DataFrame(got if isinstance(got, list) else [got])
