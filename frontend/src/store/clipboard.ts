/** Copy and paste as workflow JSON, so pasting works between workflows and from files. */
import { FORMAT, type DocEdge, type DocNode, type DocNote, type WorkflowDoc } from "../api/types";
import { uniqueId, uniqueName } from "./ids";

/** The selected nodes (and the edges among them, and selected notes) as a workflow document. */
export function copyDocument(doc: WorkflowDoc, selectedIds: Set<string>, selectedNotes: Set<string> = new Set()): WorkflowDoc {
  const nodes = doc.nodes.filter((n) => selectedIds.has(n.id));
  const edges = (doc.edges ?? []).filter((e) => selectedIds.has(e.from) && selectedIds.has(e.to));
  const notes = (doc.notes ?? []).filter((n) => selectedNotes.has(n.id));
  const pinned = Object.fromEntries(Object.entries(doc.pinned ?? {}).filter(([id]) => selectedIds.has(id)));
  const copy: WorkflowDoc = { format: FORMAT, name: doc.name, nodes, edges };
  if (notes.length) copy.notes = notes;
  if (Object.keys(pinned).length) copy.pinned = pinned;
  return copy;
}

/** A document from clipboard text: a whole workflow, or a bare list of nodes; null otherwise. */
export function parseClipboard(text: string): WorkflowDoc | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (Array.isArray(data)) data = { format: FORMAT, name: "Pasted", nodes: data };
  if (!data || typeof data !== "object") return null;
  const doc = data as Partial<WorkflowDoc>;
  if (!Array.isArray(doc.nodes)) return null;
  const nodes = doc.nodes.filter(
    (n): n is DocNode => !!n && typeof n === "object" && typeof n.id === "string" && typeof n.type === "string",
  );
  if (!nodes.length && !(doc.notes ?? []).length) return null;
  return {
    format: FORMAT,
    name: typeof doc.name === "string" ? doc.name : "Pasted",
    nodes,
    edges: Array.isArray(doc.edges) ? doc.edges : [],
    notes: Array.isArray(doc.notes) ? doc.notes : [],
    pinned: doc.pinned && typeof doc.pinned === "object" ? doc.pinned : undefined,
  };
}

export interface Pasted {
  nodes: DocNode[];
  edges: DocEdge[];
  notes: DocNote[];
  pinned: WorkflowDoc["pinned"];
}

/**
 * Nodes of `clip` made to fit into a workflow that already has `takenIds` and `takenNames`:
 * colliding ids and names get new ones (edges follow), and the group moves so its top-left
 * corner lands on `at` (or shifts by 40 px when not given).
 */
export function preparePaste(
  clip: WorkflowDoc,
  takenIds: Set<string>,
  takenNames: Set<string>,
  at?: { x: number; y: number },
): Pasted {
  const ids = new Set(takenIds);
  const names = new Set(takenNames);
  const idMap = new Map<string, string>();
  const xs = [...clip.nodes.map((n) => n.position?.[0] ?? 0), ...(clip.notes ?? []).map((n) => n.position?.[0] ?? 0)];
  const ys = [...clip.nodes.map((n) => n.position?.[1] ?? 0), ...(clip.notes ?? []).map((n) => n.position?.[1] ?? 0)];
  const minX = xs.length ? Math.min(...xs) : 0;
  const minY = ys.length ? Math.min(...ys) : 0;
  const dx = at ? at.x - minX : 40;
  const dy = at ? at.y - minY : 40;
  const move = (p?: [number, number]): [number, number] => [Math.round((p?.[0] ?? 0) + dx), Math.round((p?.[1] ?? 0) + dy)];

  const nodes = clip.nodes.map((node) => {
    const id = ids.has(node.id) ? uniqueId(node.id.replace(/_\d+$/, ""), ids) : node.id;
    ids.add(id);
    idMap.set(node.id, id);
    const baseName = typeof node.name === "string" && node.name ? node.name : node.type;
    const name = uniqueName(baseName, names);
    names.add(name);
    return { ...node, id, name, position: move(node.position) };
  });
  const edges = (clip.edges ?? [])
    .filter((e) => idMap.has(e.from) && idMap.has(e.to))
    .map((e) => ({ ...e, from: idMap.get(e.from)!, to: idMap.get(e.to)! }));
  const noteIds = new Set<string>();
  const notes = (clip.notes ?? []).map((note) => {
    let id = note.id;
    while (takenIds.has("note:" + id) || noteIds.has(id)) id = `${note.id}_${Math.random().toString(36).slice(2, 6)}`;
    noteIds.add(id);
    return { ...note, id, position: move(note.position) };
  });
  const pinned = clip.pinned
    ? Object.fromEntries(Object.entries(clip.pinned).filter(([id]) => idMap.has(id)).map(([id, v]) => [idMap.get(id)!, v]))
    : undefined;
  return { nodes, edges, notes, pinned };
}
