/** The canvas: <ReactFlow> and its wiring to the editor store, nothing else. */
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow,
  type Edge, type NodeMouseHandler, type NodeTypes, type ReactFlowInstance,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, type DragEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { NODE_DRAG_TYPE } from "../lib/dnd";
import { catalogStore } from "../store/catalog";
import { isStep, type AppNode } from "../store/convert";
import { useEditor, useEditorApi, type NodeRunState } from "../store/editor";
import { registerViewport } from "../store/viewport";
import { FlowNode } from "./FlowNode";
import { NoteNode } from "./NoteNode";

const nodeTypes: NodeTypes = { step: FlowNode, note: NoteNode };
const multiKeys = ["Shift", "Meta", "Control"];
const MIN_FIT_ZOOM = 0.3;

function minimapColor(node: { id: string; type?: string }, runStatus: Record<string, NodeRunState>): string {
  if (node.type === "note") return "#fde68a";
  const status = runStatus[node.id]?.status;
  if (status === "succeeded") return "#22c55e";
  if (status === "failed") return "#ef4444";
  return "#94a3b8";
}

/**
 * Fit every node from positions (nodes off screen are never measured when only visible
 * elements render, so React Flow's own fitView would miss them).
 */
function fitAll(flow: ReactFlowInstance<AppNode, Edge>, duration: number): void {
  const nodes = flow.getNodes();
  const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
  if (!pane || !pane.width) return;
  if (!nodes.length) {
    void flow.setViewport({ x: pane.width / 3, y: pane.height / 3, zoom: 1 }, { duration });
    return;
  }
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const n of nodes) {
    const w = n.measured?.width ?? n.width ?? 220;
    const h = n.measured?.height ?? n.height ?? 72;
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
    maxX = Math.max(maxX, n.position.x + w);
    maxY = Math.max(maxY, n.position.y + h);
  }
  const pad = 80;
  // Never zoom in past 100 %: a small workflow stays at its natural size, centred. Never
  // below 30 % either, where names cannot be read: a big workflow opens at its start.
  const fit = Math.min(1, (pane.width - pad * 2) / (maxX - minX), (pane.height - pad * 2) / (maxY - minY));
  const zoom = Math.max(MIN_FIT_ZOOM, fit);
  const x = fit < MIN_FIT_ZOOM ? pad - minX * zoom : pane.width / 2 - ((minX + maxX) / 2) * zoom;
  const y = pane.height / 2 - ((minY + maxY) / 2) * zoom;
  void flow.setViewport({ x, y, zoom }, { duration });
}

function Flow() {
  const { nodes, edges, runStatus, readOnly } = useEditor(useShallow((s) => ({
    nodes: s.nodes, edges: s.edges, runStatus: s.runStatus, readOnly: s.readOnly })));
  const flow = useReactFlow<AppNode, Edge>();
  const store = useEditorApi().getState;

  useEffect(() => {
    if (readOnly) return; // panels steer the editor's canvas, not a run's
    registerViewport({
      focusNode(id) {
        const node = flow.getNode(id);
        if (!node) return;
        const w = node.measured?.width ?? 220;
        const h = node.measured?.height ?? 72;
        void flow.setCenter(node.position.x + w / 2, node.position.y + h / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
      },
      reveal(id) {
        const node = flow.getNode(id);
        const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
        if (!node || !pane) return;
        const { x, y, zoom } = flow.getViewport();
        const w = (node.measured?.width ?? 220) * zoom;
        const h = (node.measured?.height ?? 72) * zoom;
        const left = node.position.x * zoom + x;
        const top = node.position.y * zoom + y;
        if (left >= 0 && top >= 0 && left + w <= pane.width && top + h <= pane.height) return;
        void flow.setCenter(node.position.x + w / zoom / 2, node.position.y + h / zoom / 2, { zoom, duration: 200 });
      },
      fitView() {
        fitAll(flow, 200);
      },
      zoom(direction) {
        void (direction > 0 ? flow.zoomIn({ duration: 150 }) : flow.zoomOut({ duration: 150 }));
      },
      center() {
        const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
        if (!pane) return { x: 0, y: 0 };
        return flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
      },
    });
    return () => registerViewport(null);
  }, [flow, readOnly]);

  /** Edges carry item counts of the last test run, and name their port when it is not "main". */
  const shownEdges: Edge[] = useMemo(() => edges.map((edge) => {
    const count = runStatus[edge.source]?.counts?.[edge.sourceHandle ?? "main"];
    const className = edge.sourceHandle === "error" ? "edge-error" : undefined;
    if (count === undefined) return className ? { ...edge, className } : edge;
    return {
      ...edge, className, label: `${count} item${count === 1 ? "" : "s"}`, animated: false,
      labelBgPadding: [4, 2] as [number, number], labelBgBorderRadius: 4,
    };
  }), [edges, runStatus]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(NODE_DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback((event: DragEvent) => {
    const type = event.dataTransfer.getData(NODE_DRAG_TYPE);
    if (!type) return;
    event.preventDefault();
    event.stopPropagation();
    const spec = catalogStore.getState().byType[type];
    if (!spec) return;
    const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const id = store().addNode(spec, { x: position.x - 100, y: position.y - 30 });
    store().openPanel(id);
  }, [flow, store]);

  const onNodeClick: NodeMouseHandler<AppNode> = useCallback((event, node) => {
    if (event.shiftKey || event.metaKey || event.ctrlKey) return;
    if (isStep(node)) store().openPanel(node.id);
  }, [store]);

  return (
    <ReactFlow<AppNode>
      nodes={nodes}
      edges={shownEdges}
      nodeTypes={nodeTypes}
      onNodesChange={store().onNodesChange}
      onEdgesChange={store().onEdgesChange}
      onConnect={readOnly ? undefined : store().onConnect}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      onNodeDragStart={() => store().checkpoint()}
      onSelectionDragStart={() => store().checkpoint()}
      onNodeClick={onNodeClick}
      onPaneClick={() => store().openPanel(null)}
      onDragOver={readOnly ? undefined : onDragOver}
      onDrop={readOnly ? undefined : onDrop}
      deleteKeyCode={null}
      selectionKeyCode="Shift"
      multiSelectionKeyCode={multiKeys}
      onlyRenderVisibleElements
      minZoom={0.1}
      maxZoom={2}
      defaultEdgeOptions={{ interactionWidth: 16 }}
      proOptions={{ hideAttribution: true }}
      onInit={(instance) => {
        fitAll(instance, 0);
        document.body.setAttribute("data-canvas-ready", "true");
        performance.mark("flowlane:canvas-ready"); // bench/editor.py reads it
      }}
    >
      <Background gap={20} size={1} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeColor={(node) => minimapColor(node, runStatus)} nodeStrokeWidth={2} />
    </ReactFlow>
  );
}

export function Canvas() {
  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlowProvider>
        <Flow />
      </ReactFlowProvider>
    </div>
  );
}
