/** Auto-layout with dagre: left to right, ranks by the edges. Notes stay where they are. */
import dagre from "@dagrejs/dagre";

export interface LayoutNode {
  id: string;
  width?: number;
  height?: number;
}

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 72;

export function layout(
  nodes: LayoutNode[],
  edges: { source: string; target: string }[],
): Record<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, { width: node.width ?? NODE_WIDTH, height: node.height ?? NODE_HEIGHT });
  }
  const ids = new Set(nodes.map((n) => n.id));
  for (const edge of edges) {
    if (ids.has(edge.source) && ids.has(edge.target)) graph.setEdge(edge.source, edge.target);
  }
  dagre.layout(graph);
  const positions: Record<string, { x: number; y: number }> = {};
  for (const node of nodes) {
    const placed = graph.node(node.id);
    positions[node.id] = {
      x: Math.round(placed.x - (node.width ?? NODE_WIDTH) / 2),
      y: Math.round(placed.y - (node.height ?? NODE_HEIGHT) / 2),
    };
  }
  return positions;
}
