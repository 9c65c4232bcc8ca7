/** "Debug in editor": a run's trigger data, as the items to pin on its trigger node. */
import type { RunDetail } from "../api/runs";
import type { Item, PortItems } from "../api/types";

function asItems(payload: unknown): Item[] {
  const entries = Array.isArray(payload) ? payload : [payload];
  return entries.map((entry) =>
    entry !== null && typeof entry === "object" && !Array.isArray(entry) ? (entry as Item) : ({ value: entry } as Item));
}

/**
 * What the trigger node gave in that run (its recorded output), else the raw trigger payload
 * as items; null when the run kept neither (a workflow that saves no run data).
 */
export function triggerPin(run: Pick<RunDetail, "trigger_node" | "trigger_payload" | "steps">):
  { nodeId: string; data: PortItems } | null {
  const nodeId = run.trigger_node;
  if (!nodeId) return null;
  const step = [...run.steps].reverse().find((s) => s.node_id === nodeId && s.output && !s.truncated);
  if (step?.output) return { nodeId, data: step.output };
  if (run.trigger_payload === null || run.trigger_payload === undefined) return null;
  return { nodeId, data: { main: asItems(run.trigger_payload) } };
}
