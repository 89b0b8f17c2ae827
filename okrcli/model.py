"""The OKR file format (SPEC §2) as pydantic models; the JSON Schema is generated from here."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    field_validator,
)

from okrcli.cycles import YEARS, in_range


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not `{str(value).lower()}`")
    return value


def _text_from_number(value: Any) -> Any:
    """`cycle: 2026` and `id: 42` are numbers in YAML but names to us."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# The numbers okr computes with: 0, or a magnitude from 1e-9 to 1e15. Every sum, difference,
# ratio ((current - start) / (target - start): at most about 1e40) and weighted mean of
# them stays finite, and 15 digits keep their precision.
SMALLEST, LARGEST = 1e-9, 1e15


def _bounded(value: float) -> float:
    if value != 0 and not SMALLEST <= abs(value) <= LARGEST:
        raise ValueError(f"must be 0 or between 1e-9 and 1e15 in size, not `{value}`")
    return value


def _calendar_day(value: Any) -> Any:
    """Only `YYYY-MM-DD` is a day: pydantic alone would also read 20261031 as a timestamp."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError(f"must be a date written YYYY-MM-DD, not `{value}`")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a day of the calendar") from None
    if not in_range(day):
        raise ValueError(f"must be a date in the {YEARS}, not `{value}`")
    return day


ID_PATTERN = r"^[A-Za-z0-9._-]+$"
DAY_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DAY = re.compile(DAY_PATTERN)

Id = Annotated[
    str,
    BeforeValidator(_text_from_number),
    Field(pattern=ID_PATTERN),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "integer"}]}),
]
Name = Annotated[
    str,
    BeforeValidator(_text_from_number),
    Field(min_length=1),
    WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]}),
]
Number = Annotated[
    float,
    BeforeValidator(_no_bool),
    Field(allow_inf_nan=False),
    AfterValidator(_bounded),
    WithJsonSchema({"type": "number", "minimum": -LARGEST, "maximum": LARGEST}),
]
Weight = Annotated[
    float,
    BeforeValidator(_no_bool),
    Field(ge=0, allow_inf_nan=False),
    AfterValidator(_bounded),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": LARGEST}),
]
Confidence = Annotated[
    float,
    BeforeValidator(_no_bool),
    Field(ge=0, le=10),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 10}),
]
Grade = Annotated[
    float,
    BeforeValidator(_no_bool),
    Field(ge=0, le=1, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}),
]
Day = Annotated[
    date,
    BeforeValidator(_calendar_day),
    WithJsonSchema({"type": "string", "pattern": DAY_PATTERN, "format": "date"}),
]
Plan = Annotated[
    dict[Day, Number],
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"pattern": DAY_PATTERN},
            "additionalProperties": {"type": "number"},
            "minProperties": 1,
        }
    ),
]
Text = Annotated[str, Field(min_length=1)]
Status = Literal["on_track", "at_risk", "off_track"]
ItemStatus = Literal["on_track", "at_risk", "off_track", "dropped"]


# Factories of empty defaults, for `default_factory`. Not `list` and `dict` themselves:
# pydantic reads each factory's signature, and a builtin's is parsed from its text with
# `tokenize`, whose pattern takes longer to compile than a third of the models' schema.
def _no_items() -> list[Any]:
    return []


def _no_args() -> dict[str, Any]:
    return {}


class _Strict(BaseModel):
    # Built on first use, not on import: a command that validates only OKR files builds
    # each model's schema once, inside OkrFile's, instead of once per class (a pre-commit
    # run that validates one file spends a third less on it).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Initiative(_Strict):
    """Work that should move a key result: tracked, never scored."""

    title: Text
    owner: str | None = None
    status: Literal["todo", "doing", "done", "dropped"] = "todo"
    link: str | None = None


class Milestone(_Strict):
    """One item of a checklist key result."""

    title: Text
    done: StrictBool = False
    weight: Weight = 1
    due: Day | None = Field(default=None, description="The day this item is expected done.")


class SourceRef(_Strict):
    """A source named in okr.toml `[sources]`, with the values its `{placeholders}` take."""

    name: Name
    args: dict[str, Name] = Field(default_factory=_no_args, json_schema_extra={"default": {}})


class _Item(_Strict):
    """What objectives and key results share."""

    id: Id
    title: Text
    owner: str | None = None
    weight: Weight = 1
    notes: str | None = None
    status: ItemStatus | None = Field(
        default=None,
        description="A manual override of the pace status, or `dropped`: out of the rollup.",
    )
    confidence: Confidence | None = None
    grade: Grade | None = Field(
        default=None, description="The owner's 0..1 judgement; the score rollups use."
    )
    # A factory, not `= []`: pydantic deep-copies a mutable default for every item.
    initiatives: list[Initiative] = Field(
        default_factory=_no_items, json_schema_extra={"default": []}
    )


class KeyResult(_Item):
    """Exactly one of: metric (`target`), milestone (`done` or `milestones`), threshold
    (`above`/`below`), rollup (`rollup: true`)."""

    start: Number | None = None
    target: Number | None = None
    current: Number | None = None
    unit: str | None = None
    done: StrictBool | None = None
    milestones: list[Milestone] | None = None
    above: Number | None = None
    below: Number | None = None
    rollup: StrictBool | None = None
    due: Day | None = Field(default=None, description="A milestone: the day it is expected done.")
    plan: Plan | None = Field(
        default=None,
        description="A metric: the value expected by each day, when not a straight line.",
    )
    source: Name | SourceRef | None = Field(
        default=None, description="A source from okr.toml [sources] that `okr sync` reads."
    )

    @field_validator("plan")
    @classmethod
    def _plan_has_waypoints(cls, plan: dict[date, float] | None) -> dict[date, float] | None:
        if plan is not None and not plan:
            raise ValueError("needs at least one `YYYY-MM-DD: value` waypoint")
        return plan

    def source_ref(self) -> SourceRef | None:
        """`source`, the short form (a name) read as the long one."""
        if isinstance(self.source, str):
            return SourceRef(name=self.source)
        return self.source

    def kinds(self) -> list[str]:
        """Every kind whose keys this key result uses; exactly one is valid."""
        found = []
        if self.target is not None or self.start is not None:
            found.append("metric")
        if self.done is not None or self.milestones is not None:
            found.append("milestone")
        if self.above is not None or self.below is not None:
            found.append("threshold")
        if self.rollup:
            found.append("rollup")
        return found

    def kind(self) -> str | None:
        """metric | milestone | checklist | threshold | rollup; None when not exactly one."""
        kinds = self.kinds()
        if len(kinds) != 1:
            return None
        if kinds[0] == "milestone" and self.milestones is not None and self.done is None:
            return "checklist"
        return kinds[0]


class Objective(_Item):
    type: Literal["committed", "aspirational", "learning"] = "aspirational"
    parent: Id | None = Field(
        default=None, description="Id of an objective or key result this objective aligns to."
    )
    key_results: list[KeyResult] = Field(
        default_factory=_no_items, json_schema_extra={"default": []}
    )


class OkrFile(_Strict):
    """One team's OKRs for one cycle: okrs/<cycle>/<team>.yaml."""

    model_config = ConfigDict(
        title="okr file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    team: Name
    cycle: Name = Field(description='"YYYY", "YYYY-Qn", "YYYY-Hn" or a cycle named in okr.toml')
    owner: str | None = None
    objectives: list[Objective]


MODELS: dict[str, type[BaseModel]] = {
    "objectives": Objective,
    "key_results": KeyResult,
    "milestones": Milestone,
    "initiatives": Initiative,
}


def json_schema() -> dict[str, Any]:
    """The published schema of an OKR file."""
    return OkrFile.model_json_schema()
