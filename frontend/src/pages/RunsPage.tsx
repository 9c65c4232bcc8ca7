/** Every run, newest first: filters in the URL, counts per status, live updates over
 *  Socket.IO, and "Load more" pages through the API's cursor. */
import { useCallback, useEffect, useRef, useState, type MouseEvent } from "react";
import { api } from "../api/client";
import { on, subscribe, unsubscribe, type RunEvent } from "../api/live";
import { RUN_STATUSES, runsApi, type RunRow } from "../api/runs";
import { atLeast } from "../api/session";
import type { WorkflowInfo } from "../api/types";
import { Link } from "../components/Link";
import { StatusBadge } from "../components/StatusBadge";
import { toast } from "../components/toast";
import { navigate, useLocation } from "../router";
import { NO_FILTERS, TRIGGER_KINDS, filtersUrl, triggerLabel, hasFilters, parseFilters, toQuery, type RunFilters } from "../runs/filters";
import { formatDuration, formatWhen, mergeFresh, patchRow, total } from "../runs/model";
import "../runs/runs.css";

/** Live changes are read back at most this often (a burst of runs makes one request). */
const REFRESH_MS = 400;
const PAGE_SIZE = 50;

function useWorkflows(): WorkflowInfo[] {
  const [workflows, setWorkflows] = useState<WorkflowInfo[]>([]);
  useEffect(() => {
    api.listWorkflows().then(setWorkflows, () => undefined);
  }, []);
  return workflows;
}

export function RunsPage() {
  const location = useLocation();
  const filters = parseFilters(location.split("?")[1] ?? "");
  const key = filtersUrl(filters);
  const workflows = useWorkflows();
  const [rows, setRows] = useState<RunRow[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  /** Answers for other filters than the current ones are dropped. */
  const current = useRef(key);
  current.current = key;

  const readFirstPage = useCallback(async (forKey: string, merge: boolean) => {
    const query = toQuery(parseFilters(forKey.split("?")[1] ?? ""));
    try {
      const [page, newCounts] = await Promise.all([runsApi.list(query, null, PAGE_SIZE), runsApi.counts(query)]);
      if (current.current !== forKey) return;
      setError(null);
      setCounts(newCounts);
      if (merge) {
        setRows((shown) => mergeFresh(shown ?? [], page.runs, page.next_cursor === null));
      } else {
        setRows(page.runs);
        setCursor(page.next_cursor);
      }
    } catch (err) {
      if (current.current === forKey) setError((err as Error).message);
    }
  }, []);

  useEffect(() => {
    setRows(null);
    void readFirstPage(key, false);
  }, [key, readFirstPage]);

  // Live: patch the rows a run event names at once, then read the first page back.
  useEffect(() => {
    const room = filters.workflow ? `workflow:${filters.workflow}` : "runs";
    let timer = 0;
    let active = true;
    const refresh = () => {
      if (timer) return;
      timer = window.setTimeout(() => {
        timer = 0;
        void readFirstPage(key, true);
      }, REFRESH_MS);
    };
    const onRun = (event: RunEvent) => {
      setRows((shown) => (shown ? patchRow(shown, event as unknown as RunRow) : shown));
      refresh();
    };
    const offs = (["run.queued", "run.started", "run.waiting", "run.finished"] as const).map((name) => on(name, onRun));
    // Once in the room, read again: what changed while joining is not missed.
    void subscribe(room).then(() => {
      if (!active) return;
      setLive(true);
      refresh();
    });
    return () => {
      active = false;
      setLive(false);
      offs.forEach((off) => off());
      window.clearTimeout(timer);
      unsubscribe(room);
    };
  }, [key, filters.workflow, readFirstPage]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await runsApi.list(toQuery(filters), cursor, PAGE_SIZE);
      if (current.current !== key) return;
      setRows((shown) => [...(shown ?? []), ...page.runs.filter((r) => !(shown ?? []).some((s) => s.id === r.id))]);
      setCursor(page.next_cursor);
    } catch (err) {
      toast(`Could not load more runs: ${(err as Error).message}`, "error");
    } finally {
      setLoadingMore(false);
    }
  };

  const change = (patch: Partial<RunFilters>, replace = false) =>
    navigate(filtersUrl({ ...filters, ...patch }), { replace });

  const workflowName = filters.workflow
    ? workflows.find((w) => w.id === filters.workflow)?.name ?? `workflow ${filters.workflow}`
    : null;

  return (
    <main className="page runs-page" data-testid="runs-page" data-live={live}>
      <div className="page-head">
        <h1>Runs{workflowName && <span className="muted"> · {workflowName}</span>}</h1>
        <div className="toolbar">
          <span className={`live-dot${live ? " on" : ""}`} title={live ? "New runs and changes appear as they happen" : "Connecting…"}>
            {live ? "● Live" : "○ Connecting"}
          </span>
          {filters.workflow && <Link className="btn" href={`/workflows/${filters.workflow}`}>Open in editor</Link>}
          {atLeast("admin") && (
            <Link className="btn" href="/settings" title="How long finished runs are kept: in Settings"
              data-testid="retention-link">Retention</Link>
          )}
        </div>
      </div>
      <StatusCounts counts={counts} selected={filters.status} onChange={(status) => change({ status })} />
      <Filters filters={filters} workflows={workflows} onChange={change} />
      {error && <div className="notice notice-error">Could not load runs: {error}</div>}
      {rows === null ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <div className="empty" data-testid="runs-empty">
          {hasFilters(filters) ? "No runs match these filters." : "No runs yet. Runs appear here as soon as a workflow starts."}
        </div>
      ) : (
        <RunTable rows={rows} showWorkflow={!filters.workflow} />
      )}
      {cursor && rows && rows.length > 0 && (
        <div className="load-more">
          <button className="btn" onClick={() => void loadMore()} disabled={loadingMore} data-testid="load-more">
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </main>
  );
}

function StatusCounts({ counts, selected, onChange }: {
  counts: Record<string, number>; selected: string[]; onChange: (status: string[]) => void;
}) {
  const pick = (status: string, event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) {
      onChange(selected.includes(status) ? selected.filter((s) => s !== status) : [...selected, status]);
    } else {
      onChange(selected.length === 1 && selected[0] === status ? [] : [status]);
    }
  };
  return (
    <div className="status-counts" role="group" aria-label="Filter by status (Ctrl-click for several)">
      <button type="button" className={`status-chip${selected.length ? "" : " active"}`} aria-pressed={!selected.length}
        onClick={() => onChange([])} data-testid="status-count" data-status="all">
        All <strong>{total(counts)}</strong>
      </button>
      {RUN_STATUSES.map((status) => (
        <button type="button" key={status} className={`status-chip chip-${status}${selected.includes(status) ? " active" : ""}`}
          aria-pressed={selected.includes(status)} onClick={(e) => pick(status, e)}
          data-testid="status-count" data-status={status}>
          {status} <strong>{counts[status] ?? 0}</strong>
        </button>
      ))}
    </div>
  );
}

function Filters({ filters, workflows, onChange }: {
  filters: RunFilters; workflows: WorkflowInfo[]; onChange: (patch: Partial<RunFilters>, replace?: boolean) => void;
}) {
  const [text, setText] = useState(filters.q);
  const latest = useRef({ q: filters.q, onChange });
  latest.current = { q: filters.q, onChange };
  useEffect(() => setText(filters.q), [filters.q]);
  // Typing settles for a moment before the URL (and the list) follows.
  useEffect(() => {
    if (text.trim() === latest.current.q) return undefined;
    const timer = window.setTimeout(() => latest.current.onChange({ q: text.trim() }, true), 400);
    return () => window.clearTimeout(timer);
  }, [text]);
  const knownTrigger = !filters.trigger || TRIGGER_KINDS.some(([k]) => k === filters.trigger);
  return (
    <div className="run-filters" data-testid="run-filters">
      <select value={filters.workflow ?? ""} aria-label="Workflow"
        onChange={(e) => onChange({ workflow: e.target.value ? Number(e.target.value) : null })}>
        <option value="">All workflows</option>
        {filters.workflow && !workflows.some((w) => w.id === filters.workflow) && (
          <option value={filters.workflow}>Workflow {filters.workflow}</option>
        )}
        {workflows.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
      </select>
      <select value={filters.trigger} aria-label="Trigger" onChange={(e) => onChange({ trigger: e.target.value })}>
        <option value="">Any trigger</option>
        {!knownTrigger && <option value={filters.trigger}>{filters.trigger}</option>}
        {TRIGGER_KINDS.map(([kind, label]) => <option key={kind} value={kind}>{label}</option>)}
      </select>
      <label className="date-filter">From
        <input type="date" value={filters.from} aria-label="From date" max={filters.to || undefined}
          onChange={(e) => onChange({ from: e.target.value })} />
      </label>
      <label className="date-filter">To
        <input type="date" value={filters.to} aria-label="To date" min={filters.from || undefined}
          onChange={(e) => onChange({ to: e.target.value })} />
      </label>
      <input type="search" className="search" placeholder="Text in the error or trigger data" aria-label="Search runs"
        value={text} onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && onChange({ q: text.trim() })} />
      {hasFilters(filters) && (
        <button type="button" className="btn btn-ghost" onClick={() => navigate("/runs")}>Clear filters</button>
      )}
    </div>
  );
}

function RunTable({ rows, showWorkflow }: { rows: RunRow[]; showWorkflow: boolean }) {
  return (
    <table className="table runs-table" data-testid="runs-table">
      <thead>
        <tr>
          <th>Status</th>
          <th>Run</th>
          {showWorkflow && <th>Workflow</th>}
          <th>Trigger</th>
          <th>Started</th>
          <th>Duration</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((run) => (
          <tr key={run.id} data-testid="run-row" data-run-id={run.id} data-status={run.status} className="clickable"
            onClick={(e) => !(e.target as HTMLElement).closest("a") && navigate(`/runs/${run.id}`)}>
            <td><StatusBadge status={run.status} /></td>
            <td><Link href={`/runs/${run.id}`}>#{run.id}</Link>
              {run.parent_run_id && <span className="tag" title={`Started from run #${run.parent_run_id}`}>↳ #{run.parent_run_id}</span>}</td>
            {showWorkflow && (
              <td><Link href={filtersUrl({ ...NO_FILTERS, workflow: run.workflow_id })}
                title="Runs of this workflow">{run.workflow_name ?? `Workflow ${run.workflow_id}`}</Link></td>
            )}
            <td className="muted">{triggerLabel(run.trigger_kind)}</td>
            <td className="muted nowrap">{formatWhen(run.started_at ?? run.created_at)}</td>
            <td className="muted nowrap">{run.status === "running" ? "running…" : formatDuration(run.duration_ms)}</td>
            <td className="run-error" title={run.error ?? undefined}>{run.error}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
