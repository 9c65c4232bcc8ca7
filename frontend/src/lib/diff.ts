/** The difference between two versions of a workflow: nodes added, removed, changed. */
import type { DocEdge, DocNode, WorkflowDoc } from "../api/types";
import { deepEqual } from "./json";

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeChange {
  id: string;
  name: string;
  fields: FieldChange[];
}

export interface DocDiff {
  added: DocNode[];
  removed: DocNode[];
  changed: NodeChange[];
  edgesAdded: DocEdge[];
  edgesRemoved: DocEdge[];
  other: FieldChange[];
}

/** Leaves that differ between two JSON values, as dotted paths (positions are ignored). */
export function fieldChanges(before: unknown, after: unknown, prefix = ""): FieldChange[] {
  if (deepEqual(before, after)) return [];
  const isObj = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const a = before as Record<string, unknown>;
    const b = after as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => fieldChanges(a[key], b[key], prefix ? `${prefix}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((entry, i) => fieldChanges(entry, after[i], `${prefix}[${i}]`));
  }
  return [{ path: prefix || "(value)", before, after }];
}

const edgeKey = (e: DocEdge) => `${e.from}.${e.from_port ?? "main"}->${e.to}.${e.to_port ?? "main"}`;

export function diffDocuments(a: WorkflowDoc, b: WorkflowDoc): DocDiff {
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  const added = b.nodes.filter((n) => !before.has(n.id));
  const removed = a.nodes.filter((n) => !after.has(n.id));
  const changed: NodeChange[] = [];
  for (const node of b.nodes) {
    const old = before.get(node.id);
    if (!old) continue;
    const { position: _p1, ...oldRest } = old;
    const { position: _p2, ...newRest } = node;
    const fields = fieldChanges(oldRest, newRest);
    if (fields.length) changed.push({ id: node.id, name: node.name, fields });
  }
  const aEdges = new Map((a.edges ?? []).map((e) => [edgeKey(e), e]));
  const bEdges = new Map((b.edges ?? []).map((e) => [edgeKey(e), e]));
  const { nodes: _an, edges: _ae, notes: _ano, ...aRest } = a;
  const { nodes: _bn, edges: _be, notes: _bno, ...bRest } = b;
  return {
    added,
    removed,
    changed,
    edgesAdded: [...bEdges].filter(([k]) => !aEdges.has(k)).map(([, e]) => e),
    edgesRemoved: [...aEdges].filter(([k]) => !bEdges.has(k)).map(([, e]) => e),
    other: fieldChanges(aRest, bRest),
  };
}

export function isEmptyDiff(d: DocDiff): boolean {
  return !d.added.length && !d.removed.length && !d.changed.length && !d.edgesAdded.length &&
    !d.edgesRemoved.length && !d.other.length;
}
