"""Shared fixtures: the checkout's root and the command-line binary the answers are compared with."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `gongfu` binary (GONGFU_BIN, else target/debug/gongfu); missing is a failure, not a skip."""
    path = Path(os.environ.get("GONGFU_BIN", ROOT / "target" / "debug" / "gongfu"))
    assert path.is_file(), f"no gongfu binary at {path}: run `cargo build --locked` or set GONGFU_BIN"
    return path


def run_cli(cli: Path, *args: str) -> str:
    """Runs the command line in the checkout's root; its stdout, or a failure with stderr."""
    done = subprocess.run([str(cli), *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"gongfu {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout
