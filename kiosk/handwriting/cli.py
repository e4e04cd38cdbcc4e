"""``kiosk handwriting STROKES.json``: the candidates for one handwritten character, as JSON.

For technicians and tests. Input ``{"width": 300, "height": 300, "strokes": [[[x, y], ...], ...]}``
(y downwards); output ``{"candidates": ["工", "士", ...], "ms": 4.8}``, best first.
Exit 1 with a message naming the bad field for bad input, 3 when the recogniser or model is missing.
"""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.paths import DataPaths

EXIT_BAD_INPUT = 1
EXIT_UNAVAILABLE = 3


def cmd_handwriting(args: argparse.Namespace, _paths: DataPaths) -> int:
    from kiosk.handwriting.recognizer import HandwritingUnavailable, InkError, Recognizer, parse_ink

    source = args.strokes
    try:
        if source == "-":
            data = json.load(sys.stdin)
        else:
            with open(source, encoding="utf-8") as fh:
                data = json.load(fh)
    except OSError as exc:
        print(f"{source}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"{source}: not JSON: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        ink = parse_ink(data)
    except InkError as exc:
        print(f"{source}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        recognizer = Recognizer()
    except HandwritingUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    candidates, ms = recognizer.timed(ink, args.best)
    print(json.dumps({"candidates": candidates, "ms": round(ms, 1)}, ensure_ascii=False))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("handwriting", help="recognise one handwritten character from a strokes JSON file")
    p.add_argument("strokes", help='JSON file {"width", "height", "strokes": [[[x, y], …], …]} or - for stdin')
    p.add_argument("--best", type=int, default=10, help="how many candidates (default 10)")
    p.set_defaults(func=cmd_handwriting)
