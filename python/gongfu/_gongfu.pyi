"""Type stub of the native module gongfu._gongfu (python/src/*.rs)."""

from pathlib import Path
from typing import Any, Callable, Optional

import polars as pl

__version__: str

class GongfuError(Exception):
    """Bad input or a failed run; the attributes say where (None where unknown)."""

    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    row: Optional[int]
    key: Optional[str]

class Scenario:
    """A loaded, checked scenario: a file, or a file with parameters given in code on top."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def path(self) -> Path: ...
    def with_params(self, params: dict[str, Any], name: Optional[str] = None) -> "Scenario":
        """This scenario with ``params`` (as the TOML ``[params]`` table: the same names, series
        ``{2022: 1000, "index": "wages"}`` and levels ``urban``/``rural``/``region``) on top,
        checked with the scenario files' errors."""
    def params_toml(self) -> str:
        """The parameters given in code, as TOML text."""

class Run:
    def frame(self, name: str) -> pl.DataFrame: ...
    def buffer_address(self, table: str, column: str) -> int: ...
    def parameters(self) -> pl.DataFrame: ...
    def write(self, dir: str) -> None: ...
    @property
    def scenario_names(self) -> list[str]: ...
    @property
    def reference(self) -> str: ...
    @property
    def years(self) -> tuple[int, int]: ...
    @property
    def replications(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def population(self) -> str: ...

def load_scenario(path: str) -> Scenario: ...
def expand(paths: list[str]) -> list[Path]: ...
def synth(spec: str, persons: int, seed: int) -> pl.DataFrame: ...
def stats_json(
    df: pl.DataFrame,
    income: str,
    weight: Optional[str] = None,
    by: Optional[str] = None,
    name: str = "the frame",
) -> str: ...
def run(
    scenarios: list[Scenario],
    *,
    persons: Optional[int] = None,
    population: Optional[str] = None,
    years: Optional[tuple[int, int]] = None,
    seed: Optional[int] = None,
    replications: Optional[int] = None,
    static_year: bool = False,
    microdata: Optional[str] = None,
    chunk_households: Optional[int] = None,
    progress: Optional[Callable[[str, int, int, int, int], Any]] = None,
    command_line: str = "",
) -> Run: ...
