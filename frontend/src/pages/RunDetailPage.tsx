/** One run: the graph of its version coloured by status, the timeline of its steps, each
 *  node's data and error, the trigger data, related runs and files, and the actions (cancel,
 *  retry, debug in the editor). Live while the run is in flight. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useStore } from "zustand";
import { on, subscribe, unsubscribe } from "../api/live";
import { FINISHED, runsApi, type Artifact, type RunDetail, type RunRow } from "../api/runs";
import { atLeast } from "../api/session";
import { JsonViewer } from "../components/JsonViewer";
import { Link } from "../components/Link";
import { StatusBadge } from "../components/StatusBadge";
import { toast } from "../components/toast";
import { navigate } from "../router";
import { NodeRunPanel } from "../runs/NodeRunPanel";
import { RetryDialog } from "../runs/RetryDialog";
import { RunGraph, createRunGraphStore, showRun } from "../runs/RunGraph";
import { Timeline } from "../runs/Timeline";
import { focusNode, formatDuration, formatWhen, relationLabel, stepsOf } from "../runs/model";
import { NO_FILTERS, filtersUrl, triggerLabel } from "../runs/filters";
import { catalogStore, useCatalog } from "../store/catalog";
import "../runs/runs.css";

const REFRESH_MS = 300;
type Tab = "node" | "trigger" | "related";

export function RunDetailPage({ id }: { id: number }) {
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [artifacts, setArtifacts] = useState<Artifact[]>([]);
  const [tab, setTab] = useState<Tab>("node");
  const [stepId, setStepId] = useState<number | null>(null);
  const [retrying, setRetrying] = useState(false);
  const catalogReady = useCatalog((s) => s.loaded);
  const store = useMemo(createRunGraphStore, []);
  const selected = useStore(store, (s) => s.panelNodeId);
  const focused = useRef(false);

  const select = useCallback((nodeId: string | null, step: number | null = null) => {
    store.getState().openPanel(nodeId);
    store.getState().selectOnly(nodeId ? [nodeId] : []);
    setStepId(step);
    if (nodeId) setTab("node");
  }, [store]);

  const load = useCallback(async () => {
    try {
      const detail = await runsApi.get(id);
      showRun(store, detail);
      setRun(detail);
      setError(null);
      if (!focused.current && detail.steps.length) {
        focused.current = true;
        const first = focusNode(detail.steps, detail.error?.node_id);
        if (first) select(first);
        else setTab("trigger");
      }
      if (FINISHED.includes(detail.status)) runsApi.artifacts(id).then(setArtifacts, () => undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [id, store, select]);

  useEffect(() => {
    void catalogStore.getState().load();
    void load();
  }, [load]);

  // Live: every step and status change of this run reads the run back (at most every 300 ms).
  useEffect(() => {
    const room = `run:${id}`;
    let timer = 0;
    const refresh = () => {
      if (timer) return;
      timer = window.setTimeout(() => {
        timer = 0;
        void load();
      }, REFRESH_MS);
    };
    const offs = [
      on("step.started", (e) => e.run_id === id && refresh()),
      on("step.finished", (e) => e.run_id === id && refresh()),
      ...(["run.started", "run.waiting", "run.finished"] as const).map((name) => on(name, (e) => e.id === id && refresh())),
    ];
    let active = true;
    void subscribe(room).then(() => active && refresh()); // what happened while joining is read back
    return () => {
      active = false;
      offs.forEach((off) => off());
      window.clearTimeout(timer);
      unsubscribe(room);
    };
  }, [id, load]);

  if (error && !run) {
    return (
      <main className="page">
        <h1>Cannot show run #{id}</h1>
        <p className="error-text">{error}</p>
        <Link href="/runs">Back to runs</Link>
      </main>
    );
  }
  if (!run || !catalogReady) return <main className="page"><p className="muted">Loading run #{id}…</p></main>;

  const cancel = async () => {
    try {
      const answer = await runsApi.cancel(run.id);
      toast(answer.status === "cancelled" ? "Cancelled" : "Cancelling: the run stops at its next step", "success");
      void load();
    } catch (err) {
      toast(`Cancel failed: ${(err as Error).message}`, "error");
    }
  };
  const canEdit = atLeast("editor");
  const inFlight = !FINISHED.includes(run.status);
  const keeps = String(run.document.settings?.save_runs ?? "all");
  const errorNode = run.error?.node_id ?? null;
  const errorNodeName = run.error?.node_name ?? run.document.nodes.find((n) => n.id === errorNode)?.name;
  const nodeName = selected ? run.document.nodes.find((n) => n.id === selected)?.name ?? selected : null;

  return (
    <main className="run-detail" data-testid="run-detail" data-run-id={run.id} data-status={run.status}>
      <div className="run-bar-head">
        <Link href={filtersUrl({ ...NO_FILTERS, workflow: run.workflow_id })} className="btn btn-ghost" aria-label="Runs of this workflow">←</Link>
        <h1>Run #{run.id}</h1>
        <StatusBadge status={run.status} />
        <span className="run-meta">
          <Link href={`/workflows/${run.workflow_id}`} title="Open the workflow in the editor">{run.workflow_name}</Link>
          <span className="muted"> · v{run.version} · {triggerLabel(run.trigger_kind)} · {formatWhen(run.started_at ?? run.created_at)}
            {" · "}{inFlight && run.status !== "waiting" ? "running…" : formatDuration(run.duration_ms)}
            {run.claims > 1 ? ` · picked up ${run.claims} times` : ""}</span>
        </span>
        <span className="spacer" />
        {canEdit && inFlight && (
          <button className="btn btn-danger-ghost" onClick={() => void cancel()} data-testid="cancel-run">Cancel run</button>
        )}
        {canEdit && !inFlight && (
          <button className="btn" onClick={() => setRetrying(true)} data-testid="retry-run">Retry…</button>
        )}
        {canEdit && (
          <button className="btn btn-primary" data-testid="debug-in-editor"
            title="Open the workflow with this run's trigger data pinned as test data"
            onClick={() => navigate(`/workflows/${run.workflow_id}?debugRun=${run.id}`)}>Debug in editor</button>
        )}
      </div>
      {run.error && (
        <div className="notice notice-error run-error-banner" data-testid="run-error">
          {errorNode && errorNodeName ? (
            <button type="button" className="link-button" onClick={() => select(errorNode)}>{errorNodeName}</button>
          ) : null}
          {errorNode && errorNodeName ? ": " : ""}{run.error.message}
        </div>
      )}
      {run.status === "waiting" && run.wait_until && (
        <div className="notice notice-warning">Waiting until {formatWhen(run.wait_until)}.</div>
      )}
      <div className="run-body">
        <div className="run-main">
          <RunGraph store={store} />
          <section className="run-timeline">
            <h3>Timeline</h3>
            <Timeline steps={run.steps} selected={selected} onSelect={(node, step) => select(node, step)} />
          </section>
        </div>
        <aside className="run-side" data-testid="run-side">
          <div className="tabs">
            <button className={tab === "node" ? "active" : ""} onClick={() => setTab("node")}>
              {nodeName ? `Node: ${nodeName}` : "Node"}
            </button>
            <button className={tab === "trigger" ? "active" : ""} onClick={() => setTab("trigger")}>Trigger data</button>
            <button className={tab === "related" ? "active" : ""} onClick={() => setTab("related")}>
              Related{artifacts.length ? ` · ${artifacts.length} file${artifacts.length === 1 ? "" : "s"}` : ""}
            </button>
          </div>
          <div className="run-side-body">
            {tab === "node" && (selected
              ? <NodeRunPanel key={selected} steps={stepsOf(run.steps, selected)} stepId={stepId} onPickStep={setStepId} keeps={keeps} />
              : <p className="muted">Click a node on the graph or a step in the timeline to see its data.</p>)}
            {tab === "trigger" && <TriggerData run={run} />}
            {tab === "related" && <Related run={run} artifacts={artifacts} />}
          </div>
        </aside>
      </div>
      {retrying && <RetryDialog run={run} onClose={() => setRetrying(false)} />}
    </main>
  );
}

function TriggerData({ run }: { run: RunDetail }) {
  const trigger = run.document.nodes.find((n) => n.id === run.trigger_node);
  return (
    <div data-testid="trigger-data">
      <p className="muted small">
        {triggerLabel(run.trigger_kind)}{trigger ? <> via <strong>{trigger.name}</strong></> : null}, {formatWhen(run.created_at)}
      </p>
      {run.trigger_payload === null || run.trigger_payload === undefined
        ? <p className="muted">No trigger data{run.document.settings?.save_runs && run.document.settings.save_runs !== "all" ? " kept (Save runs)" : ""}.</p>
        : <JsonViewer value={run.trigger_payload} label="Trigger payload" testId="trigger-payload" />}
    </div>
  );
}

function RunLink({ run, label }: { run: RunRow; label: string }) {
  return (
    <li data-testid="related-run" data-run-id={run.id}>
      <span className="muted">{label}</span> <Link href={`/runs/${run.id}`}>#{run.id}</Link>{" "}
      <StatusBadge status={run.status} /> <span className="muted small">{run.workflow_name} · {formatWhen(run.created_at)}</span>
    </li>
  );
}

function Related({ run, artifacts }: { run: RunDetail; artifacts: Artifact[] }) {
  return (
    <div data-testid="related">
      <h3>Runs</h3>
      {!run.parent && !run.children.length && <p className="muted small">No retries, sub-workflow or error-workflow runs.</p>}
      <ul className="related-runs">
        {run.parent && <RunLink run={run.parent} label={relationLabel(run.parent_relation, "parent")} />}
        {run.children.map((child) => <RunLink key={child.id} run={child} label={relationLabel(child.relation, "child")} />)}
      </ul>
      <h3>Files</h3>
      {!artifacts.length ? <p className="muted small">This run made no files.</p> : (
        <ul className="artifacts" data-testid="artifacts">
          {artifacts.map((file) => (
            <li key={file.artifact_id}>
              <a href={file.url} download={file.name}>{file.name}</a>{" "}
              <span className="muted small">{file.mime} · {Math.max(1, Math.round(file.size / 1024))} KB</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
