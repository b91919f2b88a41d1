#!/usr/bin/env python3
"""Keeps ARCHITECTURE.md and CONTRIBUTING.md true (run by scripts/validate).

1. Every source path they name (`Sources/...`, `Tests/...`, `scripts/...`, `releases/...`) exists.
2. ARCHITECTURE.md's module table lists exactly the targets of Package.swift (test targets aside).
Prints each mismatch and exits 1; the fix is to update the document (or the path).
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> int:
    problems = []
    for doc in ("ARCHITECTURE.md", "CONTRIBUTING.md"):
        text = open(os.path.join(ROOT, doc), encoding="utf-8").read()
        for path in sorted(set(re.findall(r"`((?:Sources|Tests|scripts|releases)/[A-Za-z0-9_./+-]+)`", text))):
            if "*" in path or "<" in path:
                continue
            if not os.path.exists(os.path.join(ROOT, path.rstrip("/"))):
                problems.append(f"{doc} names {path}, which does not exist")

    package = open(os.path.join(ROOT, "Package.swift"), encoding="utf-8").read()
    targets = set(re.findall(r'\.(?:target|executableTarget)\(\s*name:\s*"([^"]+)"', package))
    architecture = open(os.path.join(ROOT, "ARCHITECTURE.md"), encoding="utf-8").read()
    section = architecture.split("## Modules", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([^`]+)`", section, flags=re.M))
    for name in sorted(targets - listed):
        problems.append(f"ARCHITECTURE.md's module table does not list the target {name} of Package.swift")
    for name in sorted(listed - targets):
        problems.append(f"ARCHITECTURE.md's module table lists {name}, which Package.swift does not declare")

    for line in problems:
        print("validate: " + line, file=sys.stderr)
    if not problems:
        print(f"every path the documents name exists; the module table is Package.swift's {len(targets)} targets")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
