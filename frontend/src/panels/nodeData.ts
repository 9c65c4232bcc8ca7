/** The data a node sees: its input from the last test run, or what its parents' pinned/run data give. */
import type { Item, Json, StepInfo, WorkflowDoc } from "../api/types";
import type { PreviewScope } from "./ExpressionInput";

export interface InputData {
  items: Item[];
  source: "run" | "pinned" | "none";
}

export function inputData(doc: WorkflowDoc, nodeId: string, steps: Record<string, StepInfo>): InputData {
  const own = steps[nodeId]?.input;
  if (own && Object.values(own).some((list) => list.length)) {
    return { items: own.main ?? Object.values(own)[0] ?? [], source: "run" };
  }
  const items: Item[] = [];
  let pinned = false;
  for (const edge of doc.edges ?? []) {
    if (edge.to !== nodeId) continue;
    const port = edge.from_port ?? "main";
    const fromPin = doc.pinned?.[edge.from]?.[port];
    const fromRun = steps[edge.from]?.output?.[port];
    if (fromPin) pinned = true;
    items.push(...(fromPin ?? fromRun ?? []));
  }
  return { items, source: items.length ? (pinned ? "pinned" : "run") : "none" };
}

/** Outputs by node name (main port), from pinned data first, then the last run. */
export function nodesData(doc: WorkflowDoc, steps: Record<string, StepInfo>): Record<string, Item[]> {
  const out: Record<string, Item[]> = {};
  for (const node of doc.nodes) {
    const ports = doc.pinned?.[node.id] ?? steps[node.id]?.output ?? null;
    if (ports) out[node.name] = ports.main ?? Object.values(ports)[0] ?? [];
  }
  return out;
}

export function previewScope(doc: WorkflowDoc, nodeId: string, steps: Record<string, StepInfo>, triggerTypes: Set<string>): PreviewScope {
  const input = inputData(doc, nodeId, steps);
  const nodes = nodesData(doc, steps);
  const trigger = doc.nodes.find((n) => triggerTypes.has(n.type) && nodes[n.name]?.length);
  return {
    item: (input.items[0] ?? {}) as Json,
    items: input.items as Json[],
    nodes: nodes as Record<string, Json[]>,
    trigger: (trigger ? nodes[trigger.name][0] : {}) as Json,
  };
}
