"""`okr lsp`: the language server protocol over stdio, for editors (docs/editors.md).

Every change to an open OKR file checks the repository with the editor's unsaved buffers in
place of the files on disk, through `okr check`'s incremental engine (only what changed is
read again), so cross-file rules (an unknown parent, a duplicate id, a loop) answer as you
type. Hover, go-to-definition, completion and the quick fix are answered from that
snapshot, which loads the whole repository when one of them first asks. The protocol is
pygls's; what is said is okrcli.editor's.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path
from pygls.workspace import TextDocument

from okrcli import __version__
from okrcli.config import Config, find_root, load_config
from okrcli.editor import (
    Snapshot,
    can_ignore,
    describe,
    ignore_comment,
    in_parent_value,
    snapshot,
    word_at,
)
from okrcli.errors import OkrError
from okrcli.findings import Finding
from okrcli.globs import matches

SOURCE = "okr"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


class OkrServer(LanguageServer):
    """The server and what it knows: each OKR repository's settings and latest snapshot."""

    def __init__(self) -> None:
        super().__init__("okr", __version__)
        self.configs: dict[Path, Config] = {}
        self.snapshots: dict[Path, Snapshot] = {}

    def okr_file(self, uri: str) -> tuple[Config, str] | None:
        """The repository holding the document at `uri` and its path in it, when it is one
        of the repository's OKR files."""
        path = self.workspace.get_text_document(uri).path
        if not path:
            return None
        file = Path(path).resolve()
        try:
            root = find_root(file.parent)
            config = self.configs.get(root) or self.configs.setdefault(root, load_config(root))
        except OkrError as why:
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Warning, message=str(why))
            )
            return None
        rel = file.relative_to(config.root).as_posix()
        return (config, rel) if matches(rel, config.paths) else None

    def refresh(self, uri: str) -> None:
        """Lint the repository of `uri` with every open buffer, and publish each one's findings."""
        found = self.okr_file(uri)
        if found is None:
            return
        config = found[0]
        open_files: dict[str, str] = {}
        for document in list(self.workspace.text_documents.values()):
            mine = self.okr_file(document.uri)
            if mine is not None and mine[0].root == config.root:
                open_files[mine[1]] = document.uri
        unsaved = {
            rel: self.workspace.get_text_document(uri).source.encode("utf-8")
            for rel, uri in open_files.items()
        }
        try:
            snap = snapshot(config, unsaved)
        except OkrError as why:
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=str(why))
            )
            return
        self.snapshots[config.root] = snap
        findings = snap.by_file()
        for rel, uri in open_files.items():
            document = self.workspace.get_text_document(uri)
            diagnostics = [_diagnostic(document, f) for f in findings.get(rel, [])]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
            )

    def node_at(self, uri: str, position: types.Position) -> tuple[Snapshot, str, str] | None:
        """The snapshot, the line and the id-shaped word under `position`."""
        found = self.okr_file(uri)
        if found is None or found[0].root not in self.snapshots:
            return None
        document = self.workspace.get_text_document(uri)
        if position.line >= len(document.lines):
            return None
        line = document.lines[position.line]
        word = word_at(line, position.character)
        if word is None:
            return None
        return self.snapshots[found[0].root], line, word


def _diagnostic(document: TextDocument, finding: Finding) -> types.Diagnostic:
    """A finding from its position to the end of its line (the key and its value)."""
    line = max(finding.line - 1, 0)
    text = document.lines[line].rstrip("\r\n") if line < len(document.lines) else ""
    start = min(max(finding.col - 1, 0), len(text))
    end = max(len(text), start)
    return types.Diagnostic(
        range=_range(line, start, end),
        message=finding.message,
        severity=_SEVERITY[finding.level],
        code=finding.code,
        source=SOURCE,
    )


def _range(line: int, start: int, end: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=line, character=end),
    )


def build() -> OkrServer:
    """The server with its features registered."""
    server = OkrServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def _opened(ls: OkrServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def _changed(ls: OkrServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def _saved(ls: OkrServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def _closed(ls: OkrServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def _hover(ls: OkrServer, params: types.HoverParams) -> types.Hover | None:
        found = ls.node_at(params.text_document.uri, params.position)
        node = found[0].repo.graph.by_id.get(found[2]) if found else None
        if found is None or node is None:
            return None
        text = describe(found[0].repo, node)
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.PlainText, value=text)
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def _definition(ls: OkrServer, params: types.DefinitionParams) -> types.Location | None:
        found = ls.node_at(params.text_document.uri, params.position)
        node = found[0].repo.graph.by_id.get(found[2]) if found else None
        if found is None or node is None:
            return None
        uri = from_fs_path(str(found[0].repo.config.root / node.file.rel))
        at = _range(node.line - 1, node.col - 1, node.col - 1)
        return types.Location(uri=uri or "", range=at)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" "])
    )
    def _complete(ls: OkrServer, params: types.CompletionParams) -> types.CompletionList:
        found = ls.okr_file(params.text_document.uri)
        snap = ls.snapshots.get(found[0].root) if found else None
        document = ls.workspace.get_text_document(params.text_document.uri)
        row = params.position.line
        line = document.lines[row] if row < len(document.lines) else ""
        if snap is None or not in_parent_value(line, params.position.character):
            return types.CompletionList(is_incomplete=False, items=[])
        items = [
            types.CompletionItem(
                label=key, kind=types.CompletionItemKind.Reference, detail=node.title
            )
            for key, node in sorted(snap.repo.graph.by_id.items())
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def _fixes(ls: OkrServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        document = ls.workspace.get_text_document(params.text_document.uri)
        actions = []
        for diagnostic in params.context.diagnostics:
            code = str(diagnostic.code or "")
            row = diagnostic.range.start.line
            if diagnostic.source != SOURCE or row >= len(document.lines):
                continue
            if not can_ignore(code):
                continue
            line = document.lines[row].rstrip("\r\n")
            edit = types.TextEdit(
                range=_range(row, 0, len(line)),
                new_text=ignore_comment(line, code),
            )
            actions.append(
                types.CodeAction(
                    title=f"Ignore {code} here (# okr: ignore[{code}])",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
                )
            )
        return actions

    return server


def serve() -> None:
    """Answer an editor on stdin and stdout until it says goodbye."""
    build().start_io()
