/** The workflow graph as it was for a run's version, drawn by the editor's own canvas from a
 *  read-only store: nodes coloured by status, item counts on edges, a click opens a node. */
import type { StoreApi } from "zustand/vanilla";
import type { RunDetail } from "../api/runs";
import type { WorkflowDoc } from "../api/types";
import { layout } from "../lib/layout";
import { Canvas } from "../canvas/Canvas";
import { EditorContext, createEditorStore, type EditorStore } from "../store/editor";
import { nodeStates } from "./model";

/** A store for one run's graph: the version's document, the steps' states. */
export function createRunGraphStore(): StoreApi<EditorStore> {
  const store = createEditorStore();
  store.setState({ readOnly: true });
  return store;
}

/** A document written without canvas positions (by hand, or through the API) is laid out. */
export function placed(doc: WorkflowDoc): WorkflowDoc {
  if (doc.nodes.every((n) => n.position)) return doc;
  const at = layout(doc.nodes.map((n) => ({ id: n.id })), (doc.edges ?? []).map((e) => ({ source: e.from, target: e.to })));
  return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: [at[n.id].x, at[n.id].y] as [number, number] })) };
}

/** Show `run` in `store`: a new version reloads the graph; new steps only recolour it. */
export function showRun(store: StoreApi<EditorStore>, run: RunDetail): void {
  const state = store.getState();
  if (state.info?.id !== run.workflow_id || state.info?.version !== run.version) {
    state.load({
      id: run.workflow_id, name: run.workflow_name, active: false, version: run.version, active_version: null,
      created_at: null, updated_at: null, document: placed(run.document),
    });
    store.setState({ readOnly: true });
  }
  store.setState({ runStatus: nodeStates(run.steps) });
}

export function RunGraph({ store }: { store: StoreApi<EditorStore> }) {
  return (
    <div className="run-graph" data-testid="run-graph">
      <EditorContext.Provider value={store}>
        <Canvas />
      </EditorContext.Provider>
    </div>
  );
}
