#!/usr/bin/env python3
"""Writes Sources/Site/Demo/DemoSiteData+Embedded.swift from data/demo/pv_serf_east_demo.csv.

The demo site's measured data (`flexmeasures add demo-site`) travels inside the binary: nothing to install
beside it, nothing to find at run time. The CSV is gzipped once here (mtime 0: the same input gives the
same bytes) and stored base64 in a string literal; SiteTests' DemoSiteTests fails when the embedded copy
and the CSV differ.

`--extract SOURCE` first rebuilds the CSV from the shared forecasting data set (pv_serf_east_15min.csv,
pvanalytics 0.2.2 data files, MIT; upstream NREL PVDAQ / NSRDB open data): the 57 days (8 weeks and
one spare day, so that any 1 to 8 weeks ending at any time of day can be cut from it) from
2016-07-02T00:00Z, keeping the columns event_start, value (AC power in W), ghi (W/m2) and temp_air (degC).
"""
import argparse
import base64
import csv
import gzip
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
data = root / "data/demo/pv_serf_east_demo.csv"
target = root / "Sources/Site/Demo/DemoSiteData+Embedded.swift"
first, days = "2016-07-02T00:00:00Z", 57

parser = argparse.ArgumentParser()
parser.add_argument("--extract", metavar="SOURCE", help="rebuild the CSV from pv_serf_east_15min.csv first")
args = parser.parse_args()

if args.extract:
    with open(args.extract, newline="") as source:
        rows = list(csv.DictReader(source))
    start = next(i for i, row in enumerate(rows) if row["event_start"] == first)
    chosen = rows[start : start + days * 96]
    assert len(chosen) == days * 96, "the source holds fewer days than the demo needs"
    with open(data, "w", newline="") as out:
        out.write("event_start,value,ghi,temp_air\n")
        for row in chosen:
            out.write(f'{row["event_start"]},{row["value"]},{row["ghi"]},{row["temp_air"]}\n')
    print(f"embed-demo-data: wrote {data.relative_to(root)} ({len(chosen)} rows)")

plain = data.read_bytes()
packed = gzip.compress(plain, compresslevel=9, mtime=0)
text = base64.b64encode(packed).decode()
# Lines of 16,000 characters joined at run time: one huge literal slows the type checker.
chunks = [text[i : i + 16000] for i in range(0, len(text), 16000)]
lines = [
    "// Written by scripts/embed-demo-data.py from data/demo/pv_serf_east_demo.csv: do not edit by hand.",
    "extension DemoSiteData {",
    f"    /// The CSV's size in bytes, to inflate it into.",
    f"    static let embeddedSize = {len(plain)}",
    "    /// The CSV, gzipped, base64.",
    "    static let embeddedGzipBase64: [StaticString] = [",
]
lines += [f'        "{chunk}",' for chunk in chunks]
lines += ["    ]", "}", ""]
target.write_text("\n".join(lines))
print(f"embed-demo-data: wrote {target.relative_to(root)} ({len(plain)} bytes, {len(packed)} gzipped)")
