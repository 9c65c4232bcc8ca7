/** The Runs page's filters live in the URL (/runs?workflow=3&status=failed&q=...), so links,
 *  reloads and back/forward keep them. Dates are local calendar days, sent to the API as UTC. */
import type { RunQuery } from "../api/runs";

export interface RunFilters {
  workflow: number | null;
  status: string[];
  trigger: string;
  /** YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  q: string;
}

export const NO_FILTERS: RunFilters = { workflow: null, status: [], trigger: "", from: "", to: "", q: "" };

/** Trigger kinds the server records (server/runs/start.py callers), with their labels. */
export const TRIGGER_KINDS: [string, string][] = [
  ["manual", "Manual"], ["webhook", "Webhook"], ["schedule", "Schedule"], ["ghl", "HighLevel event"],
  ["ghl_poll", "HighLevel poll"], ["table", "Data table change"], ["subworkflow", "Called by a workflow"],
  ["error", "Error workflow"],
];

export function triggerLabel(kind: string): string {
  return TRIGGER_KINDS.find(([k]) => k === kind)?.[1] ?? kind;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(value: string | null): string {
  if (!value || !DAY.test(value)) return "";
  return Number.isNaN(new Date(`${value}T00:00:00`).getTime()) ? "" : value;
}

export function parseFilters(search: string): RunFilters {
  const params = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  const workflow = Number(params.get("workflow"));
  return {
    workflow: Number.isInteger(workflow) && workflow > 0 ? workflow : null,
    status: (params.get("status") ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    trigger: params.get("trigger") ?? "",
    from: validDay(params.get("from")),
    to: validDay(params.get("to")),
    q: params.get("q") ?? "",
  };
}

/** The page's URL for these filters (only the ones set, in a stable order). */
export function filtersUrl(filters: RunFilters): string {
  const params = new URLSearchParams();
  if (filters.workflow) params.set("workflow", String(filters.workflow));
  if (filters.status.length) params.set("status", filters.status.join(","));
  if (filters.trigger) params.set("trigger", filters.trigger);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.q) params.set("q", filters.q);
  const text = params.toString();
  return text ? `/runs?${text}` : "/runs";
}

function startOfDay(day: string, addDays = 0): string {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + addDays);
  return date.toISOString();
}

/** The API's query: `to` is inclusive, so the range ends at the start of the next day. */
export function toQuery(filters: RunFilters): RunQuery {
  return {
    workflow_id: filters.workflow ?? undefined,
    status: filters.status.join(",") || undefined,
    trigger: filters.trigger || undefined,
    since: filters.from ? startOfDay(filters.from) : undefined,
    until: filters.to ? startOfDay(filters.to, 1) : undefined,
    q: filters.q || undefined,
  };
}

export function hasFilters(filters: RunFilters): boolean {
  return filtersUrl(filters) !== "/runs";
}
