/** Document <-> React Flow: the canvas works on nodes and edges, the server on the document. */
import type { Edge, Node } from "@xyflow/react";
import { FORMAT, type DocEdge, type DocNode, type DocNote, type WorkflowDoc } from "../api/types";
import { layout } from "../lib/layout";

export type StepData = Omit<DocNode, "id" | "position">;
export type NoteData = { text: string; color?: string };
export type StepNode = Node<StepData, "step">;
export type NoteNode = Node<NoteData, "note">;
export type AppNode = StepNode | NoteNode;
export type AppEdge = Edge;

export const NOTE_PREFIX = "note:";
export const DEFAULT_NOTE_SIZE: [number, number] = [240, 140];

export function edgeId(e: DocEdge): string {
  return `${e.from}.${e.from_port ?? "main"}->${e.to}.${e.to_port ?? "main"}`;
}

export function stepToFlow(node: DocNode): StepNode {
  const { id, position, ...data } = node;
  return { id, type: "step", position: { x: position?.[0] ?? 0, y: position?.[1] ?? 0 }, data };
}

export function noteToFlow(note: DocNote): NoteNode {
  const size = note.size ?? DEFAULT_NOTE_SIZE;
  return {
    id: NOTE_PREFIX + note.id,
    type: "note",
    position: { x: note.position?.[0] ?? 0, y: note.position?.[1] ?? 0 },
    data: { text: note.text, ...(note.color ? { color: note.color } : {}) },
    width: size[0],
    height: size[1],
    zIndex: -1,
  };
}

export function edgeToFlow(e: DocEdge): AppEdge {
  return {
    id: edgeId(e),
    source: e.from,
    target: e.to,
    sourceHandle: e.from_port ?? "main",
    targetHandle: e.to_port ?? "main",
  };
}

export function toFlow(doc: WorkflowDoc): { nodes: AppNode[]; edges: AppEdge[] } {
  let steps: AppNode[] = doc.nodes.map(stepToFlow);
  // Position is optional in a document (hand-written JSON, the API): nodes without one are
  // laid out by the graph rather than stacked at the origin.
  const unplaced = new Set(doc.nodes.filter((n) => !Array.isArray(n.position)).map((n) => n.id));
  if (unplaced.size) {
    const placed = layout(doc.nodes, (doc.edges ?? []).map((e) => ({ source: e.from, target: e.to })));
    steps = steps.map((n) => (unplaced.has(n.id) ? { ...n, position: placed[n.id] } : n));
  }
  const notes: AppNode[] = (doc.notes ?? []).map(noteToFlow);
  return { nodes: [...notes, ...steps], edges: (doc.edges ?? []).map(edgeToFlow) };
}

const round = (n: number) => Math.round(n);

export function stepFromFlow(node: StepNode): DocNode {
  const { type, name, ...rest } = node.data;
  return { id: node.id, type, name, position: [round(node.position.x), round(node.position.y)], ...rest };
}

export function noteFromFlow(node: NoteNode): DocNote {
  const width = Number(node.width ?? node.measured?.width ?? DEFAULT_NOTE_SIZE[0]);
  const height = Number(node.height ?? node.measured?.height ?? DEFAULT_NOTE_SIZE[1]);
  return {
    id: node.id.slice(NOTE_PREFIX.length),
    text: node.data.text,
    position: [round(node.position.x), round(node.position.y)],
    size: [round(width), round(height)],
    ...(node.data.color ? { color: node.data.color } : {}),
  };
}

export function edgeFromFlow(edge: AppEdge): DocEdge {
  return {
    from: edge.source,
    to: edge.target,
    from_port: edge.sourceHandle ?? "main",
    to_port: edge.targetHandle ?? "main",
  };
}

export const isStep = (node: AppNode): node is StepNode => node.type === "step";
export const isNote = (node: AppNode): node is NoteNode => node.type === "note";

/** The document for `nodes` and `edges`, keeping every other field of `base` as it was. */
export function toDocument(base: Omit<WorkflowDoc, "nodes">, nodes: AppNode[], edges: AppEdge[]): WorkflowDoc {
  const { edges: _e, notes: _n, ...rest } = base as WorkflowDoc;
  const notes = nodes.filter(isNote).map(noteFromFlow);
  const stepIds = new Set(nodes.filter(isStep).map((n) => n.id));
  const doc: WorkflowDoc = {
    ...rest,
    format: base.format || FORMAT,
    name: base.name,
    nodes: nodes.filter(isStep).map(stepFromFlow),
    edges: edges.filter((e) => stepIds.has(e.source) && stepIds.has(e.target)).map(edgeFromFlow),
  };
  if (notes.length || base.notes) doc.notes = notes;
  if (doc.pinned) {
    const pinned = Object.fromEntries(Object.entries(doc.pinned).filter(([id]) => stepIds.has(id)));
    if (Object.keys(pinned).length) doc.pinned = pinned;
    else delete doc.pinned;
  }
  return doc;
}
