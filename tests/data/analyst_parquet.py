"""Writes the population of tests/parquet_interop.rs as analysts' tools write Parquet files.

Usage: python analyst_parquet.py OUT_DIR. Every file holds the same four persons (two households)
as the test's CSV; each one stores them the way pandas, pyarrow, Stata or R conversions do: every
integer width, signed and unsigned, 32-bit floats, dictionary-encoded (pandas `category`, R
factors), large and view strings, nullable integers with missing values in an optional column.
`bad_decimal.parquet` has a column of a type gongfu does not read (a decimal).
"""

import datetime
import decimal
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

out = Path(sys.argv[1])
columns = {
    "person_id": [1, 2, 3, 4],
    "household_id": [1, 1, 2, 2],
    "weight": [1.0, 1.0, 2.0, 2.0],
    "region": ["national"] * 4,
    "residence": ["rural", "rural", "urban", "urban"],
    "age": [40, 38, 35, 5],
    "sex": ["m", "f", "m", "f"],
    "employment": ["farmer", "not_working", "flexible", "student"],
    "earnings": [18000.0, 0.0, 30000.0, 0.0],
    "disability_grade": [None, 1, None, None],
}
INTEGERS = ["person_id", "household_id", "age"]
TEXT = ["region", "residence", "sex", "employment"]


def table(integer, floating, text):
    """The population with integer, float and text columns of the given Arrow types."""
    arrays = {}
    for name, values in columns.items():
        if name in INTEGERS:
            arrays[name] = pa.array(values, integer)
        elif name == "disability_grade":
            arrays[name] = pa.array(values, pa.int8())
        elif name in TEXT:
            arrays[name] = text(values)
        else:
            arrays[name] = pa.array(values, floating)
    return pa.table(arrays)


for width in ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]:
    pq.write_table(table(getattr(pa, width)(), pa.float64(), pa.array), out / f"{width}.parquet")
pq.write_table(table(pa.int64(), pa.float32(), pa.array), out / "float32.parquet")
pq.write_table(
    table(pa.int64(), pa.float64(), lambda v: pa.array(v).dictionary_encode()),
    out / "dictionary.parquet",
)
pq.write_table(
    table(pa.int64(), pa.float64(), lambda v: pa.array(v, pa.large_string())),
    out / "large_string.parquet",
)
pq.write_table(
    table(pa.int64(), pa.float64(), lambda v: pa.array(v, pa.string_view())),
    out / "string_view.parquet",
)

# pandas: downcast integers, categories, a nullable integer column with missing values.
frame = pd.DataFrame(columns)
for name in INTEGERS:
    frame[name] = pd.to_numeric(frame[name], downcast="unsigned" if name != "age" else "signed")
for name in TEXT:
    frame[name] = frame[name].astype("category")
frame["weight"] = frame["weight"].astype("float32")
frame["disability_grade"] = pd.array(columns["disability_grade"], dtype="Int8")
frame.to_parquet(out / "pandas.parquet", index=False)

# A time of day in a column gongfu does not use is read and ignored; a decimal is not read.
timed = table(pa.int64(), pa.float64(), pa.array).append_column(
    "interview_time", pa.array([datetime.time(9, 30)] * 4)
)
pq.write_table(timed, out / "time_of_day.parquet")
bad = table(pa.int64(), pa.float64(), pa.array).append_column(
    "savings", pa.array([decimal.Decimal("1.50")] * 4, pa.decimal128(5, 2))
)
pq.write_table(bad, out / "bad_decimal.parquet")
