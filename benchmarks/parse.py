"""Parse time per sample directive (target: well under 100 ms each), and for a .docx and a PDF.

.venv/bin/python benchmarks/parse.py [--runs 20]
"""

from __future__ import annotations

import argparse
import sys
import time

from common import ROOT, median_ms

sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from parclerk.parsing.directive import parse_directive
    from parclerk.parsing.readers import read_document

    samples = sorted((ROOT / "resources" / "demo" / "samples").glob("*.txt"))
    parse_directive(samples[0].read_text(encoding="utf-8"))  # import and regex compile once
    for path in samples:
        text = path.read_text(encoding="utf-8")
        samples_s = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = parse_directive(text)
            samples_s.append(time.perf_counter() - start)
        print(
            f"{path.name:45} {len(text):6} chars  {median_ms(samples_s):6.2f} ms  ({len(result.tasks)} tasks)"
        )
    pdf = ROOT / "tests" / "data" / "cv-107.pdf"
    read_samples = []
    for _ in range(5):
        start = time.perf_counter()
        parse_directive(read_document(pdf))
        read_samples.append(time.perf_counter() - start)
    print(f"{pdf.name:45} read + parse             {median_ms(read_samples):6.2f} ms")


if __name__ == "__main__":
    main()
