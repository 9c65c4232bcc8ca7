/** Runs, their steps, retries and retention (server/api/runs.py, settings.py, artifacts). */
import { call } from "./client";
import type { Json, JsonObject, PortItems, WorkflowDoc } from "./types";

export const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED: readonly string[] = ["succeeded", "failed", "cancelled"];

/** What a run list row and a live event carry about a run (no payloads). */
export interface RunRow {
  id: number;
  workflow_id: number;
  version_id: number;
  status: string;
  trigger_kind: string;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  parent_run_id: number | null;
  workflow_name?: string;
  duration_ms?: number | null;
  relation?: string | null;
}

export interface StepError {
  message: string;
  type?: string;
  details?: { status?: number; body?: Json; method?: string; path?: string; messages?: string[]; [key: string]: Json | undefined };
}

export interface RunStep {
  id: number;
  node_id: string;
  node_name: string;
  node_type: string;
  iteration: number | null;
  attempt: number;
  status: string;
  input_counts: Record<string, number>;
  output_counts: Record<string, number>;
  origin: string | null;
  truncated: boolean;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  input: PortItems | null;
  output: PortItems | null;
  params: JsonObject | null;
  error: StepError | null;
}

export interface RunInfo extends RunRow {
  workflow_name: string;
  version: number;
  latest_version: number | null;
  duration_ms: number | null;
  trigger_node: string | null;
  trigger_payload: Json;
  error: string | null;
  claims: number;
  wait_until: string | null;
  parent_relation: string | null;
  parent: RunRow | null;
  children: RunRow[];
  steps: RunStep[];
  document: WorkflowDoc;
}

/** The run detail's `error` is the whole record, unlike a row's message. */
export type RunDetail = Omit<RunInfo, "error"> & {
  error: { message: string; node_id?: string; node_name?: string; details?: JsonObject } | null;
};

export interface RunQuery {
  workflow_id?: number;
  status?: string;
  trigger?: string;
  since?: string;
  until?: string;
  q?: string;
}

export interface Artifact {
  artifact_id: number;
  name: string;
  mime: string;
  size: number;
  url: string;
  run_id: number | null;
  created_at: string | null;
}

export type RetentionSettings = { run_retention_days: number; run_retention_max_runs: number };

function queryString(query: RunQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...extra })) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export const runsApi = {
  list: (query: RunQuery, cursor?: string | null, limit = 50) =>
    call<{ runs: RunRow[]; next_cursor: string | null }>(
      "GET", `/api/runs${queryString(query, { limit: String(limit), ...(cursor ? { cursor } : {}) })}`),
  counts: (query: RunQuery) =>
    call<{ counts: Record<string, number> }>("GET", `/api/runs/counts${queryString(query)}`).then((r) => r.counts),
  get: (id: number) => call<RunDetail>("GET", `/api/runs/${id}`),
  cancel: (id: number) => call<{ id: number; status: string; cancel_requested: boolean }>("POST", `/api/runs/${id}/cancel`),
  retry: (id: number, from: "start" | "failed", version: "original" | "latest") =>
    call<{ run_id: number; status: string; retry_of: number }>("POST", `/api/runs/${id}/retry`, { from, version }),
  artifacts: (runId: number) =>
    call<{ artifacts: Artifact[] }>("GET", `/api/artifacts?run_id=${runId}`).then((r) => r.artifacts),
  retention: () =>
    call<{ settings: JsonObject }>("GET", "/api/settings").then((r) => r.settings as unknown as RetentionSettings),
  saveRetention: (changes: RetentionSettings) =>
    call<{ settings: JsonObject }>("PUT", "/api/settings", changes).then((r) => r.settings as unknown as RetentionSettings),
};
