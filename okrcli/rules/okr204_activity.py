from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR204"
LEVEL = "warning"
SUMMARY = "key result reads as an activity, not an outcome"
DOC = """\
## What it does
Reports a key result whose title starts with an activity verb ("launch", "complete",
"help", "implement", "build", "migrate", …) in any tense.

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
    "start",
    "ship",
    "deliver",
    "write",
    "develop",
    "migrate",
    "hold",
    "organize",
    "organise",
    "conduct",
    "do",
    "make",
    "set",
    "setup",
    "design",
    "attend",
    "prepare",
    "review",
    "research",
    "investigate",
    "plan",
    "document",
    "release",
    "roll",
    "support",
    "work",
    "assist",
    "refactor",
    "update",
    "add",
    "introduce",
    "establish",
    "define",
    "draft",
    "publish",
    "host",
    "send",
    "perform",
    "execute",
    "hire",
    "run",
    "deploy",
    "rewrite",
    "upgrade",
    "integrate",
]
_SUFFIX = r"(?:e?s|e?d|ing|ed)?"
_ACTIVITY = re.compile(
    r"^\s*(" + "|".join(sorted(VERBS, key=len, reverse=True)) + rf"){_SUFFIX}\b", re.IGNORECASE
)


def activity(title: str) -> str | None:
    """The activity verb a title starts with, or None."""
    m = _ACTIVITY.match(title)
    return title[m.start(1) : m.end()].strip() if m else None


def check(repo: Repo) -> Iterator[Finding]:
    for kr in repo.graph.key_results:
        verb = activity(kr.title)
        if verb:
            yield kr.finding(
                CODE,
                f"key result `{kr.id}` reads as an activity (`{verb}`), not an outcome; "
                "say what changes, and move the work to `initiatives`",
                LEVEL,
                key="title",
            )
