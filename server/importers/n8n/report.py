"""The import report: what was carried over, what was translated, what needs a person.

The same report is the API's answer (JSON), the CLI's output (lines) and the editor's dialog.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Translated expressions listed one by one in the report (the count is always exact).
MAX_LISTED = 500


@dataclass
class NodeEntry:
    name: str
    n8n_type: str
    type_version: float
    id: str | None = None
    flowlane_type: str | None = None
    status: str = "mapped"  # mapped | needs_attention | note | skipped


@dataclass
class Attention:
    reason: str
    node: str | None = None
    kind: str = "partial"  # unsupported_node | expression | partial | connection | setting


@dataclass
class Credential:
    name: str
    n8n_type: str
    kind: str | None
    nodes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    source_name: str = ""
    nodes: list[NodeEntry] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    translated: list[dict[str, str]] = field(default_factory=list)
    translated_count: int = 0
    untranslated: list[dict[str, str]] = field(default_factory=list)
    validation: dict[str, Any] = field(default_factory=dict)

    # -- recording -------------------------------------------------------------------------

    def need(self, reason: str, node: str | None = None, kind: str = "partial") -> None:
        entry = Attention(reason, node, kind)
        if entry not in self.attention:
            self.attention.append(entry)

    def expression(self, node: str, where: str, source: str, result: str) -> None:
        self.translated_count += 1
        if len(self.translated) < MAX_LISTED:
            self.translated.append({"node": node, "param": where, "n8n": source,
                                    "flowlane": result})

    def untranslatable(self, node: str, where: str, source: str, reason: str) -> None:
        self.untranslated.append({"node": node, "param": where, "n8n": source,
                                  "reason": reason})
        self.need(f"The expression {{{{ {source} }}}} in {where} was kept as it is: {reason}. "
                  "Rewrite it in Flowlane's expression language.", node, "expression")

    def credential(self, name: str, n8n_type: str, kind: str | None, node: str) -> None:
        for entry in self.credentials:
            if entry.name == name and entry.n8n_type == n8n_type:
                if node not in entry.nodes:
                    entry.nodes.append(node)
                return
        self.credentials.append(Credential(name, n8n_type, kind, [node]))

    def checkpoint(self) -> tuple[int, int, int, int]:
        return (len(self.attention), len(self.translated), self.translated_count,
                len(self.untranslated))

    def rollback(self, mark: tuple[int, int, int, int]) -> None:
        """Forget what a node's mapping recorded (it became a stand-in after all)."""
        del self.attention[mark[0]:]
        del self.translated[mark[1]:]
        self.translated_count = mark[2]
        del self.untranslated[mark[3]:]

    # -- reading ---------------------------------------------------------------------------

    @property
    def mapped(self) -> list[NodeEntry]:
        return [entry for entry in self.nodes if entry.status == "mapped"]

    @property
    def placeholders(self) -> list[NodeEntry]:
        return [entry for entry in self.nodes if entry.status == "needs_attention"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": {"format": "n8n", "name": self.source_name},
            "summary": {
                "nodes": len([e for e in self.nodes if e.status != "note"]),
                "mapped": len(self.mapped),
                "needs_attention": len(self.placeholders),
                "sticky_notes": len([e for e in self.nodes if e.status == "note"]),
                "expressions_translated": self.translated_count,
                "expressions_untranslated": len(self.untranslated),
                "credentials_to_connect": len(self.credentials),
            },
            "nodes": [asdict(entry) for entry in self.nodes],
            "attention": [asdict(entry) for entry in self.attention],
            "credentials": [asdict(entry) for entry in self.credentials],
            "expressions": {"translated": self.translated, "untranslated": self.untranslated},
            "validation": self.validation,
        }

    def lines(self) -> list[str]:
        """The report as a person reads it in a terminal."""
        summary = self.as_dict()["summary"]
        out = [f"n8n workflow {self.source_name!r}: {summary['mapped']} of {summary['nodes']} "
               f"nodes mapped, {summary['needs_attention']} need attention; "
               f"{summary['expressions_translated']} expressions translated, "
               f"{summary['expressions_untranslated']} kept untranslated."]
        for entry in self.nodes:
            if entry.status == "note":
                continue
            target = entry.flowlane_type or "-"
            out.append(f"  {'✓' if entry.status == 'mapped' else '!'} {entry.name} "
                       f"({entry.n8n_type} v{entry.type_version:g}) -> {target}")
        if self.attention:
            out.append("Needs attention:")
            out += [f"  - {entry.node + ': ' if entry.node else ''}{entry.reason}"
                    for entry in self.attention]
        if self.credentials:
            out.append("Connections to set up:")
            for credential in self.credentials:
                kind = credential.kind or "no Flowlane equivalent yet"
                out.append(f"  - {credential.name!r} ({credential.n8n_type} -> {kind}), used by "
                           + ", ".join(credential.nodes))
        return out
