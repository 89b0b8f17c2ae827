from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR204"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "warning"
SUMMARY = "key result reads as an activity, not an outcome"
DOC = """\
## What it does
Reports a milestone or checklist key result whose title starts with an activity verb
("launch", "complete", "help", "implement", "build", "migrate", …), as a command
("Launch …"), in the past ("Launched …") or as "-ing" ("Launching …").

Metric and threshold titles are not checked: they name a measure that moves, and words
such as "Deploy success rate" or "Review turnaround time" start with a verb-shaped noun.

## Why is this bad?
A key result says what will be different, not what the team will do. "Launch the new
onboarding" can be done while nothing improves; "Share of sign-ups active in week one"
cannot. Keep the work as an initiative under the key result it should move.

## Example
```yaml
- id: GROW-1.1
  title: Launch the new onboarding flow
  done: false
```

## Use instead
```yaml
- id: GROW-1.1
  title: Share of sign-ups active in their first week
  start: 31
  target: 45
  unit: "%"
  initiatives:
    - {title: New onboarding flow, status: doing}
```
"""

VERBS = [
    "launch",
    "complete",
    "help",
    "implement",
    "build",
    "create",
    "finish",
    "ship",
    "deliver",
    "write",
    "develop",
    "migrate",
    "organize",
    "organise",
    "conduct",
    "make",
    "setup",
    "attend",
    "prepare",
    "investigate",
    "assist",
    "refactor",
    "update",
    "add",
    "introduce",
    "establish",
    "define",
    "draft",
    "publish",
    "send",
    "perform",
    "execute",
    "hire",
    "deploy",
    "rewrite",
    "upgrade",
    "integrate",
]


def _forms(verb: str) -> str:
    """ "launch" → launch|launched|launching; "create" → create|created|creating."""
    stem = verb[:-1] if verb.endswith("e") else verb
    return rf"{stem}(?:{'e|ed' if stem != verb else '|ed'}|ing)"


_ACTIVITY = re.compile(
    r"^\s*(" + "|".join(_forms(v) for v in sorted(VERBS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def activity(title: str) -> str | None:
    """The activity verb a title starts with, or None."""
    m = _ACTIVITY.match(title)
    return m.group(1) if m else None


def check(repo: Repo) -> Iterator[Finding]:
    for kr in repo.graph.key_results:
        if kr.kind not in ("milestone", "checklist"):
            continue
        verb = activity(kr.title)
        if verb:
            yield kr.finding(
                CODE,
                f"key result `{kr.id}` reads as an activity (`{verb}`), not an outcome; "
                "say what changes, and move the work to `initiatives`",
                LEVEL,
                key="title",
            )
