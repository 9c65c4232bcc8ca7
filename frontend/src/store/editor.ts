/**
 * The editor's state: the graph being edited, undo/redo, selection, problems and the live
 * test run. Canvas and panels read slices of it; only api/ talks to the server.
 */
import {
  addEdge, applyEdgeChanges, applyNodeChanges,
  type Connection, type EdgeChange, type NodeChange,
} from "@xyflow/react";
import { createContext, useContext } from "react";
import { useStore } from "zustand";
import { createStore, type StoreApi } from "zustand/vanilla";
import type { DocNode, JsonObject, NodeSpec, PortItems, Problem, StepInfo, WorkflowDoc, WorkflowInfo } from "../api/types";
import { layout } from "../lib/layout";
import { initialParams } from "../lib/schema";
import { inputPorts, outputPorts } from "../lib/ports";
import { copyDocument, parseClipboard, preparePaste } from "./clipboard";
import {
  DEFAULT_NOTE_SIZE, NOTE_PREFIX, edgeToFlow, isNote, isStep, noteToFlow, stepToFlow, toDocument, toFlow,
  type AppEdge, type AppNode, type StepData, type StepNode,
} from "./convert";
import { emptyHistory, push, redo, undo, type History } from "./history";
import { uniqueId, uniqueName } from "./ids";

export type Base = Omit<WorkflowDoc, "nodes" | "edges" | "notes"> & { notes?: WorkflowDoc["notes"] };

interface Snapshot {
  nodes: AppNode[];
  edges: AppEdge[];
  base: Base;
}

export interface NodeRunState {
  status: string;
  counts?: Record<string, number>;
  error?: string | null;
}

export interface EditorState {
  workflowId: number | null;
  info: WorkflowInfo | null;
  base: Base;
  nodes: AppNode[];
  edges: AppEdge[];
  history: History<Snapshot>;
  dirty: boolean;
  /** The last coalescing edit (typing in one field is one undo step). */
  editKey: string | null;
  problems: Problem[];
  warnings: Problem[];
  /** The node whose panel is open, and the field to reveal in it. */
  panelNodeId: string | null;
  focusField: string | null;
  run: { id: number; status: string; error?: string | null } | null;
  runStatus: Record<string, NodeRunState>;
  runSteps: Record<string, StepInfo>;
  /** A graph shown, not edited (a past run's version): no dragging, connecting or renaming. */
  readOnly: boolean;
}

export interface EditorActions {
  load(info: WorkflowInfo): void;
  document(): WorkflowDoc;
  markSaved(info: WorkflowInfo): void;
  onNodesChange(changes: NodeChange<AppNode>[]): void;
  onEdgesChange(changes: EdgeChange<AppEdge>[]): void;
  onConnect(connection: Connection): void;
  /** Call before a drag or resize begins: the move becomes one undo step. */
  checkpoint(): void;
  addNode(spec: NodeSpec, position?: { x: number; y: number }, after?: string | null): string;
  updateNode(id: string, patch: Partial<StepData>, coalesce?: string): void;
  setParams(id: string, params: JsonObject, coalesce?: string): void;
  rename(id: string, name: string): string | null;
  toggleDisabled(ids?: string[]): void;
  removeSelected(): void;
  removeNode(id: string): void;
  addNote(position: { x: number; y: number }): void;
  updateNote(id: string, text: string): void;
  setName(name: string): void;
  /** Change the workflow's settings (timezone, error workflow, runs kept); null removes one. */
  setSettings(patch: JsonObject): void;
  setPinned(id: string, data: PortItems | null): void;
  selectOnly(ids: string[]): void;
  selectedIds(): string[];
  copySelection(): string | null;
  paste(text: string, at?: { x: number; y: number }): boolean;
  autoLayout(): void;
  undo(): void;
  redo(): void;
  openPanel(id: string | null, field?: string | null): void;
  setProblems(errors: Problem[], warnings?: Problem[]): void;
  startRun(id: number): void;
  runEvent(status: string, error?: string | null): void;
  stepEvent(nodeId: string, state: NodeRunState): void;
  setRunSteps(steps: StepInfo[]): void;
  clearRun(): void;
}

export type EditorStore = EditorState & EditorActions;

const emptyBase = (): Base => ({ format: "flowlane/workflow@1", name: "" });

function baseOf(doc: WorkflowDoc): Base {
  const { nodes: _n, edges: _e, notes, ...rest } = doc;
  return notes ? { ...rest, notes: [] } : rest;
}

export function createEditorStore(): StoreApi<EditorStore> {
  return createStore<EditorStore>()((set, get) => {
    const snapshot = (): Snapshot => ({ nodes: get().nodes, edges: get().edges, base: get().base });

    /** Apply an edit as one undo step (or merge it into the previous one with `coalesce`). */
    const edit = (change: (s: EditorStore) => Partial<EditorState>, coalesce?: string) => {
      const state = get();
      const merge = coalesce !== undefined && coalesce === state.editKey;
      set({
        ...change(state),
        history: merge ? state.history : push(state.history, snapshot()),
        dirty: true,
        editKey: coalesce ?? null,
      });
    };

    const restore = (s: Snapshot) => ({
      nodes: s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
      edges: s.edges,
      base: s.base,
      dirty: true,
      editKey: null,
    });

    const patchNode = (nodes: AppNode[], id: string, patch: (n: StepNode) => StepNode): AppNode[] =>
      nodes.map((n) => (n.id === id && isStep(n) ? patch(n) : n));

    return {
      workflowId: null,
      info: null,
      base: emptyBase(),
      nodes: [],
      edges: [],
      history: emptyHistory(),
      dirty: false,
      editKey: null,
      problems: [],
      warnings: [],
      panelNodeId: null,
      focusField: null,
      run: null,
      runStatus: {},
      runSteps: {},
      readOnly: false,

      load(info) {
        const doc = info.document ?? { format: "flowlane/workflow@1", name: info.name, nodes: [] };
        const { nodes, edges } = toFlow(doc);
        set({
          workflowId: info.id, info, base: baseOf(doc), nodes, edges, history: emptyHistory(),
          dirty: false, editKey: null, problems: [], warnings: [], panelNodeId: null, focusField: null,
          run: null, runStatus: {}, runSteps: {},
        });
      },

      document() {
        const { base, nodes, edges } = get();
        return toDocument(base, nodes, edges);
      },

      markSaved(info) {
        set({ info, dirty: false, editKey: null, problems: [], warnings: info.warnings ?? [] });
      },

      onNodesChange(changes) {
        const meaningful = changes.some((c) => c.type === "position" || c.type === "remove" || c.type === "add" ||
          (c.type === "dimensions" && c.setAttributes));
        const nodes = applyNodeChanges(changes, get().nodes);
        set(meaningful ? { nodes, dirty: true } : { nodes });
      },

      onEdgesChange(changes) {
        const removes = changes.some((c) => c.type === "remove");
        if (removes) edit((s) => ({ edges: applyEdgeChanges(changes, s.edges) }));
        else set({ edges: applyEdgeChanges(changes, get().edges) });
      },

      onConnect(connection) {
        if (!connection.source || !connection.target || connection.source === connection.target) return;
        const doc = {
          from: connection.source, to: connection.target,
          from_port: connection.sourceHandle ?? "main", to_port: connection.targetHandle ?? "main",
        };
        const flowEdge = edgeToFlow(doc);
        if (get().edges.some((e) => e.id === flowEdge.id)) return;
        edit((s) => ({ edges: addEdge(flowEdge, s.edges) }));
      },

      checkpoint() {
        set({ history: push(get().history, snapshot()), editKey: null });
      },

      addNode(spec, position, after) {
        const state = get();
        const steps = state.nodes.filter(isStep);
        const id = uniqueId(spec.title, new Set(state.nodes.map((n) => n.id)));
        const name = uniqueName(spec.title, new Set(steps.map((n) => n.data.name)));
        const anchor = after ? steps.find((n) => n.id === after) : undefined;
        let pos = position;
        if (!pos && anchor) {
          pos = { x: anchor.position.x + 280, y: anchor.position.y };
          while (steps.some((n) => Math.abs(n.position.x - pos!.x) < 40 && Math.abs(n.position.y - pos!.y) < 40)) {
            pos = { x: pos.x, y: pos.y + 110 };
          }
        }
        if (!pos) {
          const maxX = steps.length ? Math.max(...steps.map((n) => n.position.x)) : -280;
          pos = { x: maxX + 280, y: steps.length ? steps[steps.length - 1].position.y : 0 };
        }
        const docNode: DocNode = {
          id, type: spec.type, name, position: [Math.round(pos.x), Math.round(pos.y)], params: initialParams(spec.params),
        };
        const node = { ...stepToFlow(docNode), selected: true };
        edit((s) => {
          let edges = s.edges;
          if (anchor && inputPorts(spec).length) {
            const fromPort = outputPorts(specOf(anchor), anchor.data)[0] ?? "main";
            edges = [...edges, edgeToFlow({ from: anchor.id, to: id, from_port: fromPort, to_port: inputPorts(spec)[0] })];
          }
          return {
            nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
            edges,
            panelNodeId: s.panelNodeId ? id : s.panelNodeId,
          };
        });
        return id;
      },

      updateNode(id, patch, coalesce) {
        edit((s) => ({ nodes: patchNode(s.nodes, id, (n) => ({ ...n, data: { ...n.data, ...patch } })) }), coalesce);
      },

      setParams(id, params, coalesce) {
        edit((s) => ({ nodes: patchNode(s.nodes, id, (n) => ({ ...n, data: { ...n.data, params } })) }), coalesce);
      },

      rename(id, name) {
        const trimmed = name.trim();
        if (!trimmed) return "A node needs a name.";
        const clash = get().nodes.some((n) => isStep(n) && n.id !== id && n.data.name === trimmed);
        if (clash) return `Another node is named "${trimmed}".`;
        const current = get().nodes.find((n) => n.id === id);
        if (current && isStep(current) && current.data.name === trimmed) return null;
        edit((s) => ({ nodes: patchNode(s.nodes, id, (n) => ({ ...n, data: { ...n.data, name: trimmed } })) }));
        return null;
      },

      toggleDisabled(ids) {
        const targets = new Set(ids ?? get().selectedIds());
        if (!targets.size) return;
        const steps = get().nodes.filter((n): n is StepNode => isStep(n) && targets.has(n.id));
        const disable = steps.some((n) => !n.data.disabled);
        edit((s) => ({
          nodes: s.nodes.map((n) => {
            if (!isStep(n) || !targets.has(n.id)) return n;
            const { disabled: _d, ...data } = n.data;
            return { ...n, data: disable ? { ...data, disabled: true } : data };
          }),
        }));
      },

      removeSelected() {
        const state = get();
        const gone = new Set(state.nodes.filter((n) => n.selected).map((n) => n.id));
        const edgesGone = state.edges.some((e) => e.selected);
        if (!gone.size && !edgesGone) return;
        edit((s) => ({
          nodes: s.nodes.filter((n) => !gone.has(n.id)),
          edges: s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)),
          panelNodeId: s.panelNodeId && gone.has(s.panelNodeId) ? null : s.panelNodeId,
        }));
      },

      removeNode(id) {
        edit((s) => ({
          nodes: s.nodes.filter((n) => n.id !== id),
          edges: s.edges.filter((e) => e.source !== id && e.target !== id),
          panelNodeId: s.panelNodeId === id ? null : s.panelNodeId,
        }));
      },

      addNote(position) {
        const taken = new Set(get().nodes.map((n) => n.id));
        let n = 1;
        while (taken.has(`${NOTE_PREFIX}note_${n}`)) n += 1;
        const note = noteToFlow({ id: `note_${n}`, text: "", position: [Math.round(position.x), Math.round(position.y)], size: DEFAULT_NOTE_SIZE });
        edit((s) => ({ nodes: [note, ...s.nodes] }));
      },

      updateNote(id, text) {
        edit((s) => ({
          nodes: s.nodes.map((n) => (n.id === id && isNote(n) ? { ...n, data: { ...n.data, text } } : n)),
        }), `note:${id}`);
      },

      setName(name) {
        edit((s) => ({ base: { ...s.base, name } }), "workflow-name");
      },

      setSettings(patch) {
        edit((s) => {
          const settings: JsonObject = { ...(s.base.settings ?? {}), ...patch };
          for (const [key, value] of Object.entries(patch)) if (value === null) delete settings[key];
          return { base: { ...s.base, settings } };
        });
      },

      setPinned(id, data) {
        edit((s) => {
          const pinned = { ...(s.base.pinned ?? {}) };
          if (data) pinned[id] = data;
          else delete pinned[id];
          const base: Base = { ...s.base, pinned };
          if (!Object.keys(pinned).length) delete base.pinned;
          return { base };
        });
      },

      selectOnly(ids) {
        const wanted = new Set(ids);
        set({
          nodes: get().nodes.map((n) => (!!n.selected === wanted.has(n.id) ? n : { ...n, selected: wanted.has(n.id) })),
          edges: get().edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        });
      },

      selectedIds() {
        return get().nodes.filter((n) => n.selected && isStep(n)).map((n) => n.id);
      },

      copySelection() {
        const state = get();
        const selected = new Set(state.nodes.filter((n) => n.selected).map((n) => n.id));
        if (!selected.size) return null;
        const notes = new Set([...selected].filter((id) => id.startsWith(NOTE_PREFIX)).map((id) => id.slice(NOTE_PREFIX.length)));
        return JSON.stringify(copyDocument(state.document(), selected, notes), null, 2);
      },

      paste(text, at) {
        const clip = parseClipboard(text);
        if (!clip) return false;
        const state = get();
        const steps = state.nodes.filter(isStep);
        const pasted = preparePaste(clip, new Set(state.nodes.map((n) => n.id)), new Set(steps.map((n) => n.data.name)), at);
        const newNodes: AppNode[] = [
          ...pasted.notes.map((n) => ({ ...noteToFlow(n), selected: true })),
          ...pasted.nodes.map((n) => ({ ...stepToFlow(n), selected: true })),
        ];
        edit((s) => {
          const base = pasted.pinned && Object.keys(pasted.pinned).length
            ? { ...s.base, pinned: { ...(s.base.pinned ?? {}), ...pasted.pinned } }
            : s.base;
          return {
            nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...newNodes],
            edges: [...s.edges, ...pasted.edges.map(edgeToFlow)],
            base,
          };
        });
        return true;
      },

      autoLayout() {
        const steps = get().nodes.filter(isStep);
        const positions = layout(
          steps.map((n) => ({ id: n.id, width: n.measured?.width, height: n.measured?.height })),
          get().edges,
        );
        edit((s) => ({
          nodes: s.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)),
        }));
      },

      undo() {
        const result = undo(get().history, snapshot());
        if (result) set({ ...restore(result.state), history: result.history });
      },

      redo() {
        const result = redo(get().history, snapshot());
        if (result) set({ ...restore(result.state), history: result.history });
      },

      openPanel(id, field = null) {
        set({ panelNodeId: id, focusField: field ?? null });
      },

      setProblems(errors, warnings = []) {
        set({ problems: errors, warnings });
      },

      startRun(id) {
        const runStatus: Record<string, NodeRunState> = {};
        for (const n of get().nodes) if (isStep(n) && !n.data.disabled) runStatus[n.id] = { status: "queued" };
        set({ run: { id, status: "queued" }, runStatus, runSteps: {} });
      },

      runEvent(status, error) {
        const run = get().run;
        if (!run) return;
        const done = ["succeeded", "failed", "cancelled"].includes(status);
        const runStatus = done
          ? Object.fromEntries(Object.entries(get().runStatus).filter(([, v]) => v.status !== "queued"))
          : get().runStatus;
        set({ run: { ...run, status, error }, runStatus });
      },

      stepEvent(nodeId, state) {
        set({ runStatus: { ...get().runStatus, [nodeId]: { ...get().runStatus[nodeId], ...state } } });
      },

      setRunSteps(steps) {
        const runSteps: Record<string, StepInfo> = {};
        const runStatus = { ...get().runStatus };
        for (const step of steps) {
          runSteps[step.node_id] = step;
          const error = typeof step.error === "string" ? step.error : step.error?.message ?? null;
          runStatus[step.node_id] = { status: step.status, counts: step.output_counts, error };
        }
        set({ runSteps, runStatus });
      },

      clearRun() {
        set({ run: null, runStatus: {}, runSteps: {} });
      },
    };
  });
}

/** How the store finds a node type's spec (the catalogue store sets it once loaded). */
let specLookup: (type: string) => NodeSpec | undefined = () => undefined;
function specOf(node: StepNode): NodeSpec | undefined {
  return specLookup(node.data.type);
}
export function setSpecLookup(lookup: (type: string) => NodeSpec | undefined): void {
  specLookup = lookup;
}

export const editorStore = createEditorStore();

/** The store the canvas below draws: the editor's, unless a page provides another one (the
 *  run page shows a past run's graph in its own, read-only store). */
export const EditorContext = createContext<StoreApi<EditorStore>>(editorStore);

export function useEditorApi(): StoreApi<EditorStore> {
  return useContext(EditorContext);
}

export function useEditor<T>(selector: (state: EditorStore) => T): T {
  return useStore(useContext(EditorContext), selector);
}
