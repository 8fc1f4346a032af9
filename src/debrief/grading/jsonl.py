"""Line-oriented grading for `debrief grade`: JSON spec+answer in, one verdict JSON line out."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from debrief.grading.grader import Grader
from debrief.grading.spec import SpecError

# A line longer than this is refused rather than parsed (an answer is capped far below it).
MAX_LINE_CHARS = 1_000_000


def grade_line(line: str | bytes, grader: Grader) -> dict[str, Any]:
    """The verdict for one input line as a JSON-ready dict, or {"error": ...} saying what is wrong.

    The line is a JSON object: a grading spec (expected, kind, accept, options, min_items)
    plus an "answer" string. Blank lines are errors too, so output lines stay one per input
    line.
    """
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return {"error": f"line is not valid UTF-8 (byte 0x{line[exc.start]:02x} at {exc.start})"}
    if not isinstance(line, str):
        return {"error": "input line is not text"}
    text = line.lstrip("\ufeff").strip()
    if not text:
        return {"error": "blank line: expected a JSON object with a spec and an 'answer'"}
    if len(text) > MAX_LINE_CHARS:
        return {"error": f"line longer than {MAX_LINE_CHARS} characters"}
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return {"error": f"not valid JSON: {exc}"[:300]}
    if not isinstance(obj, dict):
        return {"error": "line is not a JSON object"}
    obj = _without_surrogates(obj)
    if "answer" not in obj:
        return {"error": "missing 'answer'"}
    answer = obj["answer"]
    if not isinstance(answer, str):
        return {"error": "'answer' must be a string"}
    spec = {k: v for k, v in obj.items() if k != "answer"}
    if "expected" not in spec and isinstance(spec.get("spec"), dict):  # {"spec": {...}, ...}
        spec = spec["spec"]
    try:
        return grader.grade(spec, answer).to_json()
    except SpecError as exc:
        return {"error": f"bad spec: {exc}"}


def _without_surrogates(value: Any) -> Any:
    """`value` with lone surrogates (a JSON `\\ud800` escape) as U+FFFD: they are not text anyone
    typed, and echoing one back would fail to encode and stop the output."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_surrogates(v) for k, v in value.items()}
    return value


def grade_lines(lines: Iterable[str] | Iterable[bytes], out: TextIO,
                grader: Grader | None = None) -> int:
    """Grade each JSON line of `lines`, writing one JSON line per input line to `out`, in order.

    Each output line is flushed as it is written, so a pipe sees verdicts as they come. A
    malformed line (bad JSON, not an object, bad spec, unknown kind, answer not a string, or
    blank) yields {"error": "..."} and the rest are still graded. Returns 1 if any line erred,
    else 0.
    """
    grader = grader or Grader()
    status = 0
    for line in lines:
        result = grade_line(line, grader)
        if "error" in result:
            status = 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return status
