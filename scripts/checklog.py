"""Read the log of an Odoo test run: count tests and fail on errors or warnings.

Prints the closing line ``N passed, N failed, N skipped`` and exits non-zero when a test failed,
the run crashed, or any WARNING/ERROR/CRITICAL line was logged that ``--ignore`` does not list
(as OCA's checklog-odoo does).
"""

import argparse
import re
import sys

RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) ")
SKIPPED = re.compile(r" INFO \S+ \S+: skipped ")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("log")
    parser.add_argument("--odoo-rc", type=int, default=0)
    parser.add_argument("--ignore", help="file of regular expressions, one per line, of tolerated log lines")
    args = parser.parse_args()

    ignored = []
    if args.ignore:
        with open(args.ignore, encoding="utf-8") as handle:
            ignored = [
                re.compile(line.strip()) for line in handle if line.strip() and not line.startswith("#")
            ]

    failed = errors = total = skipped = 0
    found = False
    bad_lines = []
    with open(args.log, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = RESULT.search(line)
            if match:
                found = True
                failed, errors, total = (int(g) for g in match.groups())
            if SKIPPED.search(line):
                skipped += 1
            if LEVEL.match(line) and not any(p.search(line) for p in ignored):
                bad_lines.append(line.rstrip())

    problems = []
    if not found:
        problems.append("the run ended before reporting its tests (install error or crash)")
    if args.odoo_rc and not failed and not errors:
        problems.append(f"odoo exited with status {args.odoo_rc}")
    if bad_lines:
        problems.append(f"{len(bad_lines)} WARNING/ERROR line(s) logged:")
    for problem in problems:
        print(f"checklog: {problem}")
    for line in bad_lines[:50]:
        print(f"  {line[:300]}")

    bad = failed + errors
    passed = total - bad - skipped
    if problems and not bad:
        bad = 1
    print(f"{passed} passed, {bad} failed, {skipped} skipped")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
