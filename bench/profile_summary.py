"""Where a profiled path's time goes: py-spy's collapsed stacks (bench/hot_paths.py --profile)
summed per function, by the share of samples it is on the stack of (inclusive) and at the top of
(self), and per package.

    .venv/bin/python bench/profile_summary.py /tmp/door.txt [--top 40] [--match club/]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def _package(file: str) -> str:
    if "site-packages/" in file:
        return file.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/lib/python" in file:
        return "stdlib"
    return file.split("/", 1)[0] if "/" in file else file


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("stacks")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="", help="only functions whose file holds this text")
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in Path(args.stacks).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [f for f in stack.split(";") if f]
        names = []
        for frame in frames:
            m = _FRAME.match(frame)
            names.append((f"{m['function']} ({m['file']})", m["file"]) if m else (frame, frame))
        for name in {name for name, _ in names}:
            inclusive[name] += n
        if names:
            own[names[-1][0]] += n
            packages[_package(names[-1][1])] += n
    print(f"{total} samples")
    print("\nself time by package:")
    for name, n in packages.most_common(15):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("\nself time by function:")
    for name, n in [(k, v) for k, v in own.most_common() if args.match in k][: args.top]:
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("\non the stack (inclusive):")
    for name, n in [(k, v) for k, v in inclusive.most_common() if args.match in k][: args.top]:
        print(f"  {100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
