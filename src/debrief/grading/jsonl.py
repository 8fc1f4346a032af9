"""Line-oriented grading for `debrief grade`: JSON spec+answer in, one verdict JSON line out."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from debrief.grading import Grader


def grade_lines(lines: Iterable[str], out: TextIO, grader: Grader | None = None) -> int:
    """Grade each JSON line of `lines`, writing one JSON line per input line to `out`.

    A malformed line (or a blank one) yields `{"error": ...}`; the return value is 1 if any
    line erred, else 0.
    """
    grader = grader or Grader()
    status = 0
    for line in lines:
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("line is not a JSON object")
            answer = obj.get("answer")
            if not isinstance(answer, str):
                raise ValueError("'answer' must be a string")
            result = grader.grade(obj, answer).to_json()
        except (ValueError, TypeError) as exc:
            result = {"error": str(exc)}
            status = 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return status
