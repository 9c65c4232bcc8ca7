/** One node of a run: its attempts, the error (with HighLevel's or the HTTP answer's status
 *  and body), the items it took and gave per port, and its params as rendered. */
import type { Json, PortItems } from "../api/types";
import type { RunStep, StepError } from "../api/runs";
import { JsonViewer } from "../components/JsonViewer";
import { StatusBadge } from "../components/StatusBadge";
import { formatDuration } from "./model";

function count(items: unknown[]): string {
  return `${items.length} item${items.length === 1 ? "" : "s"}`;
}

function Ports({ title, ports, testId }: { title: string; ports: PortItems | null; testId: string }) {
  const entries = Object.entries(ports ?? {});
  if (!entries.length) return null;
  return (
    <>
      {entries.map(([port, items]) => (
        <JsonViewer key={port} value={items} testId={testId}
          label={<>{title}{entries.length > 1 || port !== "main" ? ` · ${port}` : ""} <span className="muted">({count(items)})</span></>} />
      ))}
    </>
  );
}

/** Where the error came from: HighLevel (method, path, messages) or an HTTP answer. */
function ErrorDetails({ error }: { error: StepError }) {
  const details = error.details ?? {};
  const { status, body, messages, method, path, trace, ...rest } = details as Record<string, Json | undefined>;
  const ghl = Array.isArray(messages);
  return (
    <section className="step-error" data-testid="step-error">
      <div className="notice notice-error">
        <strong>{error.message}</strong>
        {error.type && error.type !== "NodeError" && <span className="tag">{error.type}</span>}
      </div>
      {(status !== undefined && status !== null) && (
        <p className="error-status" data-testid="error-status">
          {ghl ? "HighLevel answered" : "HTTP status"} <strong>{String(status)}</strong>
          {method || path ? <> to <code>{[method, path].filter(Boolean).join(" ")}</code></> : null}
        </p>
      )}
      {ghl && (messages as Json[]).length > 0 && (
        <ul className="error-messages">{(messages as Json[]).map((m, i) => <li key={i}>{String(m)}</li>)}</ul>
      )}
      {body !== undefined && body !== null && (
        <JsonViewer value={body} label="Response body" testId="error-body" />
      )}
      {Object.keys(rest).length > 0 && <JsonViewer value={rest} label="Details" testId="error-details" />}
      {Array.isArray(trace) && (
        <details className="error-trace"><summary>Where it failed in the code</summary>
          <pre>{(trace as Json[]).join("\n")}</pre>
        </details>
      )}
    </section>
  );
}

export function NodeRunPanel({ steps, stepId, onPickStep, keeps }: {
  steps: RunStep[];
  stepId: number | null;
  onPickStep: (id: number) => void;
  /** The workflow's `save_runs`: why a finished step may have no data. */
  keeps: string;
}) {
  if (!steps.length) {
    return <p className="muted" data-testid="node-not-run">This node did not run in this run.</p>;
  }
  const step = steps.find((s) => s.id === stepId) ?? steps[steps.length - 1];
  const finished = !["running", "queued"].includes(step.status);
  const noData = finished && step.input === null && step.output === null && step.params === null;
  return (
    <div className="node-run" data-testid="node-run" data-node-id={step.node_id}>
      <div className="node-run-head">
        <StatusBadge status={step.status} />
        <span className="muted small">{step.node_type}</span>
        <span className="spacer" />
        <span className="muted small">{formatDuration(step.duration_ms)}</span>
      </div>
      {steps.length > 1 && (
        <div className="step-picker" role="group" aria-label="Attempts and iterations">
          {steps.map((s) => (
            <button key={s.id} type="button" className={`step-chip chip-${s.status}${s.id === step.id ? " active" : ""}`}
              aria-pressed={s.id === step.id} onClick={() => onPickStep(s.id)}>
              {s.iteration !== null ? `Loop ${s.iteration + 1} · ` : ""}Attempt {s.attempt}
            </button>
          ))}
        </div>
      )}
      {step.origin === "copied" && <p className="muted small">Copied from the retried run: this node was not run again.</p>}
      {step.origin === "pinned" && <p className="muted small">Pinned test data stood in for this node.</p>}
      {step.truncated && (
        <div className="notice notice-warning" data-testid="truncated-marker">
          Truncated: this step's data was over the size limit, so only its first items were kept.
        </div>
      )}
      {noData && (
        <div className="notice notice-warning" data-testid="no-data">
          No data kept: this workflow saves {keeps === "none" ? "no run data" : "data of failed runs only"} (Save runs
          in its settings).
        </div>
      )}
      {step.error && <ErrorDetails error={step.error} />}
      <h3>Input</h3>
      {Object.keys(step.input ?? {}).length ? <Ports title="Input" ports={step.input} testId="step-input" />
        : <p className="muted small">{noData ? "Not kept." : "No input items (a trigger, or nothing arrived)."}</p>}
      <h3>Output</h3>
      {Object.keys(step.output ?? {}).length ? <Ports title="Output" ports={step.output} testId="step-output" />
        : <p className="muted small">{noData ? "Not kept." : finished ? "No output items." : "Not finished yet."}</p>}
      <h3>Parameters</h3>
      {step.params ? <JsonViewer value={step.params} testId="step-params"
        label={<>As rendered for the first item <span className="muted">(secrets redacted)</span></>} />
        : <p className="muted small">{noData ? "Not kept." : "None recorded."}</p>}
    </div>
  );
}
