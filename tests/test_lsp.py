"""`okr lsp` end to end: a real LSP client (pytest-lsp) talks to `okr lsp` over stdio."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from okrcli.editor import ignore_comment, in_parent_value, word_at

PLATFORM = "okrs/2026-Q4/platform.yaml"
PARENT_LINE = "    parent: ACME-Q4-2.3\n"


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "okrcli", "lsp"])


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, acme: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=acme.as_uri(), process_id=None
        )
    )
    yield
    await lsp_client.shutdown_session()


def _uri(acme: Path) -> str:
    return (acme / PLATFORM).as_uri()


async def _open(client: LanguageClient, acme: Path, text: str) -> list[types.Diagnostic]:
    uri = _uri(acme)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def _change(client: LanguageClient, acme: Path, text: str) -> list[types.Diagnostic]:
    uri = _uri(acme)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(version=2, uri=uri),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def _at(acme: Path, line: int, character: int) -> dict[str, Any]:
    """The document and position arguments of a request about platform.yaml."""
    return {
        "text_document": types.TextDocumentIdentifier(uri=_uri(acme)),
        "position": types.Position(line=line, character=character),
    }


def _where(text: str, needle: str) -> tuple[int, int]:
    """0-based line and column of `needle` in `text`."""
    before = text[: text.index(needle)]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)


@pytest.mark.asyncio
async def test_typing_a_dangling_parent_gets_okr003_at_its_range(
    client: LanguageClient, acme: Path
) -> None:
    disk = (acme / PLATFORM).read_text(encoding="utf-8")
    assert await _open(client, acme, disk) == []
    typed = disk.replace(PARENT_LINE, "    parent: ACME-Q4-9\n", 1)

    diagnostics = await _change(client, acme, typed)  # never saved: the buffer is linted

    assert [d.code for d in diagnostics] == ["OKR003"]
    line, col = _where(typed, "parent: ACME-Q4-9")
    assert diagnostics[0].range == types.Range(
        start=types.Position(line=line, character=col),
        end=types.Position(line=line, character=col + len("parent: ACME-Q4-9")),
    )
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert "`ACME-Q4-9` names no objective" in diagnostics[0].message
    assert (acme / PLATFORM).read_text(encoding="utf-8") == disk


@pytest.mark.asyncio
async def test_the_quick_fix_adds_an_ignore_comment_that_silences_it(
    client: LanguageClient, acme: Path
) -> None:
    typed = (
        (acme / PLATFORM)
        .read_text(encoding="utf-8")
        .replace(PARENT_LINE, "    parent: ACME-Q4-9\n", 1)
    )
    diagnostics = await _open(client, acme, typed)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=_uri(acme)),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    assert actions is not None and len(actions) == 1
    action = actions[0]
    assert isinstance(action, types.CodeAction) and action.edit and action.edit.changes
    (edit,) = action.edit.changes[_uri(acme)]
    assert edit.new_text == "    parent: ACME-Q4-9  # okr: ignore[OKR003]"
    line = edit.range.start.line
    lines = typed.splitlines(keepends=True)
    lines[line] = edit.new_text + "\n"
    assert await _change(client, acme, "".join(lines)) == []


@pytest.mark.asyncio
async def test_hover_on_a_parent_shows_title_score_status_and_owner(
    client: LanguageClient, acme: Path
) -> None:
    text = (acme / PLATFORM).read_text(encoding="utf-8")
    await _open(client, acme, text)
    line, col = _where(text, "ACME-Q4-2.3")
    hover = await client.text_document_hover_async(types.HoverParams(**_at(acme, line, col + 3)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    first, facts, where = hover.contents.value.splitlines()
    assert first.startswith("ACME-Q4-2.3: ")
    assert "score " in facts and "owner " in facts
    assert where.startswith("okrs/2026-Q4/company.yaml:")


@pytest.mark.asyncio
async def test_hover_on_an_id_describes_that_item(client: LanguageClient, acme: Path) -> None:
    text = (acme / PLATFORM).read_text(encoding="utf-8")
    await _open(client, acme, text)
    line, col = _where(text, "id: PLAT-Q4-1.2")
    hover = await client.text_document_hover_async(types.HoverParams(**_at(acme, line, col + 5)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    value = hover.contents.value
    assert value.startswith("PLAT-Q4-1.2: p99 latency of invoice search\n")
    assert "metric · score 0.80 · " in value and "owner alice" in value


@pytest.mark.asyncio
async def test_definition_of_a_parent_is_its_item(client: LanguageClient, acme: Path) -> None:
    text = (acme / PLATFORM).read_text(encoding="utf-8")
    await _open(client, acme, text)
    line, col = _where(text, "ACME-Q4-2.3")
    found = await client.text_document_definition_async(
        types.DefinitionParams(**_at(acme, line, col))
    )
    assert isinstance(found, types.Location)
    company = (acme / "okrs/2026-Q4/company.yaml").read_text(encoding="utf-8")
    assert found.uri == (acme / "okrs/2026-Q4/company.yaml").as_uri()
    assert found.range.start.line == _where(company, "- id: ACME-Q4-2.3")[0]


@pytest.mark.asyncio
async def test_completion_in_parent_lists_ids(client: LanguageClient, acme: Path) -> None:
    text = (acme / PLATFORM).read_text(encoding="utf-8").replace(PARENT_LINE, "    parent: \n", 1)
    await _open(client, acme, text)
    line, _ = _where(text, "    parent: \n")
    result = await client.text_document_completion_async(
        types.CompletionParams(**_at(acme, line, len("    parent: ")))
    )
    assert isinstance(result, types.CompletionList)
    labels = {item.label for item in result.items}
    assert {"ACME-Q4-2.3", "ACME-2026-1", "PLAT-Q4-1.1"} <= labels
    elsewhere = await client.text_document_completion_async(
        types.CompletionParams(**_at(acme, 0, 0))
    )
    assert isinstance(elsewhere, types.CompletionList) and not elsewhere.items


@pytest.mark.parametrize(
    ("line", "code", "expected"),
    [
        ("    parent: X-1", "OKR003", "    parent: X-1  # okr: ignore[OKR003]"),
        ("- id: P-1  # okr: ignore[OKR201]", "OKR203", "- id: P-1  # okr: ignore[OKR201, OKR203]"),
        ("  - id: P-1  # okr: ignore[OKR203]", "OKR203", "  - id: P-1  # okr: ignore[OKR203]"),
    ],
)
def test_ignore_comment(line: str, code: str, expected: str) -> None:
    assert ignore_comment(line, code) == expected


def test_words_and_parent_values() -> None:
    assert word_at("    parent: ACME-Q4-2.3", 15) == "ACME-Q4-2.3"
    assert word_at("    parent: ACME-Q4-2.3  # x", 24) is None
    assert in_parent_value("    parent: AC", 14)
    assert in_parent_value("  - parent: ", 12)
    assert not in_parent_value("    title: parent: x", 18)
