/** Pure helpers behind the Runs pages: merging live updates into a list, a run's steps as
 *  node states and a timeline, and how durations read. */
import type { RunRow, RunStep } from "../api/runs";
import type { NodeRunState } from "../store/editor";

/**
 * Merge a fresh first page into the rows already shown. Where the fresh page reaches, it is
 * the truth (new runs, changed statuses, runs that left the filter); older rows a person
 * loaded with "Load more" stay below it.
 */
export function mergeFresh(rows: RunRow[], fresh: RunRow[], freshIsAll: boolean): RunRow[] {
  if (freshIsAll || !fresh.length) return freshIsAll ? fresh : rows;
  const boundary = Math.min(...fresh.map((r) => r.id));
  return [...fresh, ...rows.filter((r) => r.id < boundary)];
}

function durationOf(row: Pick<RunRow, "started_at" | "finished_at">): number | null {
  if (!row.started_at || !row.finished_at) return null;
  return Date.parse(row.finished_at) - Date.parse(row.started_at);
}

/** Apply a live run event (a run's summary) to the row with its id, if shown. */
export function patchRow(rows: RunRow[], event: RunRow): RunRow[] {
  let changed = false;
  const next = rows.map((row) => {
    if (row.id !== event.id) return row;
    changed = true;
    const merged = { ...row, ...event, workflow_name: row.workflow_name };
    return { ...merged, duration_ms: durationOf(merged) };
  });
  return changed ? next : rows;
}

/** All runs counted (the "All" chip). */
export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * Each node's state in a run, for colouring the graph: the last attempt of each loop
 * iteration decides; item counts add up over iterations (what passed along each edge).
 */
export function nodeStates(steps: RunStep[]): Record<string, NodeRunState> {
  const last = new Map<string, RunStep>();
  for (const step of steps) last.set(`${step.node_id}\u0000${step.iteration ?? ""}`, step);
  const states: Record<string, NodeRunState> = {};
  for (const step of last.values()) {
    const state = states[step.node_id] ?? { status: step.status, counts: {}, error: null };
    const counts = { ...state.counts };
    for (const [port, n] of Object.entries(step.output_counts ?? {})) counts[port] = (counts[port] ?? 0) + n;
    const failed = state.status === "failed" || step.status === "failed";
    states[step.node_id] = {
      status: failed ? "failed" : step.status,
      counts,
      error: state.error ?? step.error?.message ?? null,
    };
  }
  return states;
}

/** Steps of one node, in the order they happened (attempts and iterations). */
export function stepsOf(steps: RunStep[], nodeId: string): RunStep[] {
  return steps.filter((s) => s.node_id === nodeId);
}

/** The node a person most likely wants to see first: the failed one, else the last to run. */
export function focusNode(steps: RunStep[], errorNode?: string | null): string | null {
  if (errorNode && steps.some((s) => s.node_id === errorNode)) return errorNode;
  const failed = [...steps].reverse().find((s) => s.status === "failed");
  return failed?.node_id ?? null;
}

export interface TimelineBar {
  step: RunStep;
  /** Percent of the run's span: where the bar starts, and how wide it is. */
  left: number;
  width: number;
}

export function timeline(steps: RunStep[], now = Date.now()): TimelineBar[] {
  const spans = steps.map((step) => {
    const start = step.started_at ? Date.parse(step.started_at) : now;
    const end = step.finished_at ? Date.parse(step.finished_at) : now;
    return { step, start, end: Math.max(end, start) };
  });
  if (!spans.length) return [];
  const first = Math.min(...spans.map((s) => s.start));
  const span = Math.max(1, Math.max(...spans.map((s) => s.end)) - first);
  return spans.map(({ step, start, end }) => ({
    step,
    left: ((start - first) / span) * 100,
    width: Math.max(0.5, ((end - start) / span) * 100),
  }));
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

const RELATIONS: Record<string, [string, string]> = {
  retry: ["Retry of", "Retried as"],
  subworkflow: ["Called by", "Called"],
  error_workflow: ["Error workflow of", "Error workflow run"],
  table_change: ["Table changed by", "Table change started"],
};

/** How a parent ("Retry of #12") or a child ("Retried as #13") link reads. */
export function relationLabel(relation: string | null | undefined, side: "parent" | "child"): string {
  const pair = RELATIONS[relation ?? ""];
  if (!pair) return side === "parent" ? "Started by" : "Started";
  return pair[side === "parent" ? 0 : 1];
}
