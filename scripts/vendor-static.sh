#!/usr/bin/env bash
# Regenerates every vendored web asset of the console in Sources/Console/Static/Files/vendor, then the embedded
# copy in the binary (scripts/embed-static.py). Needs PyPI once (vl-convert-python, pinned); after that it runs
# offline: vl-convert carries Vega, Vega-Lite, vega-embed and their dependencies inside its wheel.
#
#   vendor/vega-bundle.js  Vega, Vega-Lite 5 and vega-embed in one classic script. It defines window.vega,
#                          window.vegaLite and window.vegaEmbed and nothing else: the bundle (an ES module's
#                          top level once bundled) is wrapped in a function so that its constants stay local.
#   vendor/LICENSES.md     the licences of everything in the bundle. Not served (embed-static.py embeds only
#                          .js/.css/.svg/.png/.ico/.txt): it ships with the source, and the bundle's header
#                          names it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
vl_convert_version="1.9.0"

installed="$("$python" -c 'import importlib.metadata as m; print(m.version("vl-convert-python"))' 2>/dev/null || true)"
if [ "$installed" != "$vl_convert_version" ]; then
  echo "vendor-static: installing vl-convert-python==$vl_convert_version with $python -m pip"
  "$python" -m pip install --quiet "vl-convert-python==$vl_convert_version"
fi

VENDOR_DIR="$root/Sources/Console/Static/Files/vendor" VL_CONVERT_VERSION="$vl_convert_version" "$python" - <<'PYTHON'
import gzip
import os
import pathlib
import vl_convert

vendor = pathlib.Path(os.environ["VENDOR_DIR"])
vendor.mkdir(parents=True, exist_ok=True)

# Vega-Lite 5: the specs the daemon writes are Vega-Lite 5 (FlexMeasures' own charts are too).
vl_version = "5.21"
vega_lite_full = "5.21.0"
vega_version = vl_convert.get_vega_version()
embed_version = vl_convert.get_vega_embed_version()
if vl_version not in vl_convert.get_vegalite_versions():
    raise SystemExit(f"vendor-static: vl-convert offers Vega-Lite {vl_convert.get_vegalite_versions()}, not {vl_version}")

# vl-convert resolves these module URLs from the copies inside its wheel (nothing is fetched). The default
# snippet imports `vega` as a default export, which Vega does not have (window.vega would be undefined):
# namespace imports give the real modules.
snippet = f"""
import * as vegaModule from "https://cdn.jsdelivr.net/npm/vega@{vega_version}/+esm";
import * as vegaLiteModule from "https://cdn.jsdelivr.net/npm/vega-lite@{vega_lite_full}/+esm";
import vegaEmbedFunction from "https://cdn.jsdelivr.net/npm/vega-embed@{embed_version}/+esm";
window.vega = vegaModule;
window.vegaLite = vegaLiteModule;
window.vegaEmbed = vegaEmbedFunction;
"""
bundle = vl_convert.javascript_bundle(snippet, vl_version=vl_version)
for leftover in ("import ", "export "):
    if any(line.startswith(leftover) for line in bundle.splitlines()):
        raise SystemExit(f"vendor-static: the bundle still has an {leftover.strip()} statement")

header = (
    f"/*! Vega {vega_version}, Vega-Lite {vega_lite_full}, vega-embed {embed_version} and their dependencies, bundled by "
    f"vl-convert {os.environ['VL_CONVERT_VERSION']}. BSD-3-Clause, ISC, MIT and Unlicense: see vendor/LICENSES.md in the "
    f"source. Written by scripts/vendor-static.sh. */\n"
)
# A function around the module's top level: its constants and functions stay out of the page's globals.
text = header + "(function () {\n\"use strict\";\n" + bundle.rstrip() + "\n})();\n"
target = vendor / "vega-bundle.js"
target.write_text(text)
raw = len(text.encode())
packed = len(gzip.compress(text.encode(), compresslevel=9, mtime=0))
print(f"vendor-static: wrote {target.name}: {raw} bytes, {packed} bytes gzipped")
if raw > 1_100_000 or packed > 330_000:
    raise SystemExit("vendor-static: the bundle is larger than the console's budget (1.1 MB, 330 KB gzipped)")

# Everything the bundle carries, as vl-convert 1.9.0 vendors it (its module URLs list these versions): package,
# version, licence, copyright holder. The full copyright lines of vega and vega-lite are their LICENSE files'; for
# the others the holder is given, and the licence text is the standard one the package ships.
packages = [
    ("vega", vega_version, "BSD-3-Clause", "Copyright (c) 2015-2023, University of Washington Interactive Data Lab"),
    ("vega-lite", vega_lite_full, "BSD-3-Clause", "Copyright (c) 2015, University of Washington Interactive Data Lab"),
    ("vega-embed", embed_version, "BSD-3-Clause", "University of Washington Interactive Data Lab"),
    ("vega-canvas, vega-crossfilter, vega-dataflow, vega-encode, vega-event-selector, vega-expression, vega-force, "
     "vega-format, vega-functions, vega-geo, vega-hierarchy, vega-interpreter, vega-label, vega-loader, vega-parser, "
     "vega-projection, vega-regression, vega-runtime, vega-scale, vega-scenegraph, vega-selections, vega-statistics, "
     "vega-time, vega-transforms, vega-util, vega-view, vega-view-transforms, vega-voronoi, vega-wordcloud "
     "(the modules of Vega " + vega_version + ")", vega_version, "BSD-3-Clause",
     "Copyright (c) 2015-2023, University of Washington Interactive Data Lab"),
    ("vega-themes", "3.0.0", "BSD-3-Clause", "University of Washington Interactive Data Lab"),
    ("vega-tooltip", "1.0.0", "BSD-3-Clause", "University of Washington Interactive Data Lab"),
    ("vega-schema-url-parser", "3.0.2", "BSD-3-Clause", "Dominik Moritz"),
    ("d3-array 3.2.4, d3-color 3.1.0, d3-dispatch 3.0.1, d3-dsv 3.0.1, d3-force 3.0.0, d3-format 3.1.0, d3-geo 3.1.1, "
     "d3-hierarchy 3.1.2, d3-interpolate 3.0.1, d3-path 3.1.0, d3-quadtree 3.0.1, d3-scale 4.0.2, "
     "d3-scale-chromatic 3.1.0, d3-shape 3.2.0, d3-time 3.1.0, d3-time-format 4.1.0, d3-timer 3.0.1", "", "ISC",
     "Mike Bostock"),
    ("d3-geo-projection", "4.0.0", "ISC", "Mike Bostock"),
    ("d3-delaunay", "6.0.4", "ISC", "Observable, Inc."),
    ("internmap", "2.0.3", "ISC", "Mike Bostock"),
    ("topojson-client", "3.1.0", "ISC", "Michael Bostock"),
    ("delaunator", "5.0.0", "ISC", "Mapbox"),
    ("robust-predicates", "3.0.0", "Unlicense", "Vladimir Agafonkin (dedicated to the public domain)"),
    ("clone", "2.1.2", "MIT", "Paul Vorbach"),
    ("fast-deep-equal", "3.1.3", "MIT", "Evgeny Poberezkin"),
    ("fast-json-stable-stringify", "2.1.0", "MIT", "Evgeny Poberezkin; James Halliday"),
    ("json-stringify-pretty-compact", "4.0.0", "MIT", "Simon Lydell"),
    ("lodash.debounce", "4.0.8", "MIT", "jQuery Foundation and other contributors"),
]

bsd3 = """Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its contributors
  may be used to endorse or promote products derived from this software
  without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE."""

isc = """Permission to use, copy, modify, and/or distribute this software for any purpose
with or without fee is hereby granted, provided that the above copyright notice
and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH
REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT,
INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS
OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER
TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF
THIS SOFTWARE."""

mit = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE."""

unlicense = """This is free and unencumbered software released into the public domain.

Anyone is free to copy, modify, publish, use, compile, sell, or
distribute this software, either in source code form or as a compiled
binary, for any purpose, commercial or non-commercial, and by any
means.

In jurisdictions that recognize copyright laws, the author or authors
of this software dedicate any and all copyright interest in the
software to the public domain. We make this dedication for the benefit
of the public at large and to the detriment of our heirs and
successors. We intend this dedication to be an overt act of
relinquishment in perpetuity of all present and future rights to this
software under copyright law.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
IN NO EVENT SHALL THE AUTHORS BE LIABLE FOR ANY CLAIM, DAMAGES OR
OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE,
ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR
OTHER DEALINGS IN THE SOFTWARE.

For more information, please refer to <http://unlicense.org>"""

texts = {"BSD-3-Clause": bsd3, "ISC": isc, "MIT": mit, "Unlicense": unlicense}
vl_convert_licence = (pathlib.Path(vl_convert.__file__).parent.parent
                      / f"vl_convert_python-{os.environ['VL_CONVERT_VERSION']}.dist-info/licenses/LICENSE")

out = [
    "# Licences of the vendored web assets",
    "",
    "Written by `scripts/vendor-static.sh`; do not edit by hand. This file ships with the source, beside the",
    "files it covers; the daemon does not serve it (the bundle's first line points here).",
    "",
    f"`vega-bundle.js` is Vega {vega_version}, Vega-Lite {vega_lite_full} and vega-embed {embed_version} with every",
    f"module they import, bundled into one script by vl-convert {os.environ['VL_CONVERT_VERSION']} (PyPI",
    "`vl-convert-python`, which carries these modules' published ES module builds inside its wheel).",
    "",
    "| Package | Version | Licence | Copyright holder |",
    "| --- | --- | --- | --- |",
]
for name, version, licence, holder in packages:
    out.append(f"| {name} | {version or 'as listed'} | {licence} | {holder} |")
out += ["", "Each package is under the text below for its licence, with its own copyright notice (the holder above) before it.", ""]
for licence, body in texts.items():
    out += [f"## {licence}", "", "```text", body, "```", ""]
out += [f"## vl-convert {os.environ['VL_CONVERT_VERSION']} (the bundler; BSD-3-Clause)", "", "```text",
        vl_convert_licence.read_text().strip(), "```", ""]
(vendor / "LICENSES.md").write_text("\n".join(out))
print(f"vendor-static: wrote LICENSES.md")
PYTHON

python3 "$root/scripts/embed-static.py"
