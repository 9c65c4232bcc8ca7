/** The canvas: <ReactFlow> and its wiring to the editor store, nothing else. */
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow,
  type Edge, type NodeMouseHandler, type NodeTypes,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, type DragEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { NODE_DRAG_TYPE } from "../lib/dnd";
import { catalogStore } from "../store/catalog";
import { isStep, type AppNode } from "../store/convert";
import { editorStore, useEditor } from "../store/editor";
import { registerViewport } from "../store/viewport";
import { FlowNode } from "./FlowNode";
import { NoteNode } from "./NoteNode";

const nodeTypes: NodeTypes = { step: FlowNode, note: NoteNode };
const multiKeys = ["Shift", "Meta", "Control"];

function minimapColor(node: AppNode): string {
  if (node.type === "note") return "#fde68a";
  const status = editorStore.getState().runStatus[node.id]?.status;
  if (status === "succeeded") return "#22c55e";
  if (status === "failed") return "#ef4444";
  return "#94a3b8";
}

function Flow() {
  const { nodes, edges, runStatus } = useEditor(useShallow((s) => ({ nodes: s.nodes, edges: s.edges, runStatus: s.runStatus })));
  const flow = useReactFlow();
  const store = editorStore.getState;

  useEffect(() => {
    registerViewport({
      focusNode(id) {
        const node = flow.getNode(id);
        if (!node) return;
        const w = node.measured?.width ?? 220;
        const h = node.measured?.height ?? 72;
        void flow.setCenter(node.position.x + w / 2, node.position.y + h / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
      },
      fitView() {
        void flow.fitView({ padding: 0.2, duration: 200 });
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
  }, [flow]);

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
      onConnect={store().onConnect}
      onNodeDragStart={() => store().checkpoint()}
      onSelectionDragStart={() => store().checkpoint()}
      onNodeClick={onNodeClick}
      onPaneClick={() => store().openPanel(null)}
      onDragOver={onDragOver}
      onDrop={onDrop}
      deleteKeyCode={null}
      selectionKeyCode="Shift"
      multiSelectionKeyCode={multiKeys}
      onlyRenderVisibleElements
      minZoom={0.1}
      maxZoom={2}
      fitView
      fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
      defaultEdgeOptions={{ interactionWidth: 16 }}
      proOptions={{ hideAttribution: true }}
      onInit={() => document.body.setAttribute("data-canvas-ready", "true")}
    >
      <Background gap={20} size={1} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={2} />
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
