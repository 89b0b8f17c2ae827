"""The rule registry: code → module. Each module holds CODE, LEVEL, SUMMARY, DOC and check()."""

from __future__ import annotations

from types import ModuleType

from okrcli.rules import (
    okr001_parse,
    okr002_duplicate_id,
    okr003_unknown_parent,
    okr004_alignment_loop,
    okr005_bad_suppression,
    okr101_no_measure,
    okr102_target_equals_start,
    okr103_no_unit,
    okr104_empty_rollup,
    okr105_bad_source,
    okr201_key_result_count,
    okr202_too_many_objectives,
    okr203_no_owner,
    okr204_activity,
    okr205_path_mismatch,
    okr206_cycle_outside_parent,
    okr207_target_moved,
    okr208_stale,
    okr209_uncommitted_under_committed,
    okr210_placeholder,
)

RULES: dict[str, ModuleType] = {
    module.CODE: module
    for module in (
        okr001_parse,
        okr002_duplicate_id,
        okr003_unknown_parent,
        okr004_alignment_loop,
        okr005_bad_suppression,
        okr101_no_measure,
        okr102_target_equals_start,
        okr103_no_unit,
        okr104_empty_rollup,
        okr105_bad_source,
        okr201_key_result_count,
        okr202_too_many_objectives,
        okr203_no_owner,
        okr204_activity,
        okr205_path_mismatch,
        okr206_cycle_outside_parent,
        okr207_target_moved,
        okr208_stale,
        okr209_uncommitted_under_committed,
        okr210_placeholder,
    )
}
CODES = tuple(RULES)
