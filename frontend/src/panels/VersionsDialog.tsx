/** Version history, and a side-by-side diff of two versions. */
import { Fragment, useEffect, useState } from "react";
import { api } from "../api/client";
import type { VersionInfo, WorkflowDoc } from "../api/types";
import { Dialog } from "../components/Dialog";
import { toast } from "../components/toast";
import { diffDocuments, isEmptyDiff, type DocDiff } from "../lib/diff";

function show(value: unknown): string {
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function VersionsDialog({ workflowId, onClose }: { workflowId: number; onClose: () => void }) {
  const [versions, setVersions] = useState<VersionInfo[] | null>(null);
  const [left, setLeft] = useState<number | null>(null);
  const [right, setRight] = useState<number | null>(null);
  const [docs, setDocs] = useState<Record<number, WorkflowDoc>>({});

  useEffect(() => {
    api.versions(workflowId).then((list) => {
      setVersions(list);
      if (list.length) {
        setRight(list[0].number);
        setLeft(list[1]?.number ?? list[0].number);
      }
    }, (err: Error) => toast(`Could not load versions: ${err.message}`, "error"));
  }, [workflowId]);

  useEffect(() => {
    for (const n of [left, right]) {
      if (n !== null && !docs[n]) {
        api.version(workflowId, n).then((v) => setDocs((d) => ({ ...d, [n]: v.document })),
          (err: Error) => toast(`Could not load version ${n}: ${err.message}`, "error"));
      }
    }
  }, [left, right, workflowId, docs]);

  const diff = left !== null && right !== null && docs[left] && docs[right] ? diffDocuments(docs[left], docs[right]) : null;

  return (
    <Dialog title="Version history" onClose={onClose} wide testId="versions-dialog">
      {versions === null ? <p className="muted">Loading…</p> : (
        <div className="versions">
          <ul className="version-list">
            {versions.map((v) => (
              <li key={v.number} className={v.number === left || v.number === right ? "picked" : ""}>
                <strong>v{v.number}</strong> {v.active && <span className="badge badge-succeeded">live</span>}
                <span className="muted"> {v.created_at ? new Date(v.created_at).toLocaleString() : ""} · {v.nodes} nodes</span>
                <span className="spacer" />
                <button className="btn btn-small" aria-pressed={v.number === left} onClick={() => setLeft(v.number)}>A</button>
                <button className="btn btn-small" aria-pressed={v.number === right} onClick={() => setRight(v.number)}>B</button>
              </li>
            ))}
          </ul>
          {diff && left !== null && right !== null && <DiffTable diff={diff} left={left} right={right} a={docs[left]} b={docs[right]} />}
        </div>
      )}
    </Dialog>
  );
}

function DiffTable({ diff, left, right, a, b }: { diff: DocDiff; left: number; right: number; a: WorkflowDoc; b: WorkflowDoc }) {
  if (isEmptyDiff(diff)) return <p className="muted" data-testid="diff-empty">v{left} and v{right} are the same (positions aside).</p>;
  const nameA = (id: string) => a.nodes.find((n) => n.id === id)?.name ?? id;
  const nameB = (id: string) => b.nodes.find((n) => n.id === id)?.name ?? id;
  const edge = (e: { from: string; to: string; from_port?: string }, name: (id: string) => string) =>
    `${name(e.from)}${e.from_port && e.from_port !== "main" ? ` (${e.from_port})` : ""} → ${name(e.to)}`;
  return (
    <table className="diff" data-testid="version-diff">
      <thead><tr><th>Node</th><th>v{left} (A)</th><th>v{right} (B)</th></tr></thead>
      <tbody>
        {diff.removed.map((n) => (
          <tr key={`r-${n.id}`} className="diff-removed"><td>{n.name}</td><td>{n.type}</td><td>removed</td></tr>
        ))}
        {diff.added.map((n) => (
          <tr key={`a-${n.id}`} className="diff-added"><td>{n.name}</td><td>—</td><td>added: {n.type}</td></tr>
        ))}
        {diff.changed.map((c) => (
          <Fragment key={`c-${c.id}`}>
            <tr className="diff-changed"><td colSpan={3}><strong>{c.name}</strong> changed</td></tr>
            {c.fields.map((f) => (
              <tr key={f.path} className="diff-field">
                <td className="mono">{f.path}</td><td className="before mono">{show(f.before)}</td><td className="after mono">{show(f.after)}</td>
              </tr>
            ))}
          </Fragment>
        ))}
        {diff.edgesRemoved.map((e, i) => <tr key={`er-${i}`} className="diff-removed"><td>connection</td><td>{edge(e, nameA)}</td><td>removed</td></tr>)}
        {diff.edgesAdded.map((e, i) => <tr key={`ea-${i}`} className="diff-added"><td>connection</td><td>—</td><td>{edge(e, nameB)}</td></tr>)}
        {diff.other.map((f) => (
          <tr key={`o-${f.path}`} className="diff-field"><td className="mono">{f.path}</td><td className="before mono">{show(f.before)}</td><td className="after mono">{show(f.after)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
