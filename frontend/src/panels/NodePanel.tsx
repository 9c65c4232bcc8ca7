/** The node panel: params form (from the node's JSON Schema), settings, and run data. */
import { useEffect, useMemo, useRef, useState } from "react";
import type { Json, PortItems } from "../api/types";
import { toast } from "../components/toast";
import { problemField, problemParamsPath } from "../lib/schema";
import { useCatalog } from "../store/catalog";
import { isStep, toDocument, type StepNode } from "../store/convert";
import { editorStore, useEditor } from "../store/editor";
import { viewport } from "../store/viewport";
import { CredentialPicker } from "./CredentialPicker";
import { DataTree, JsonView } from "./DataTree";
import { inputData, nodesData, previewScope } from "./nodeData";
import { SchemaForm } from "./SchemaForm";

type Tab = "params" | "settings" | "data";

export function NodePanel({ id }: { id: string }) {
  const node = useEditor((s) => s.nodes.find((n): n is StepNode => n.id === id && isStep(n)));
  const spec = useCatalog((s) => (node ? s.byType[node.data.type] : undefined));
  const byType = useCatalog((s) => s.byType);
  const problems = useEditor((s) => s.problems);
  const warnings = useEditor((s) => s.warnings);
  const focusField = useEditor((s) => s.focusField);
  const steps = useEditor((s) => s.runSteps);
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const base = useEditor((s) => s.base);
  const [tab, setTab] = useState<Tab>("params");
  const [name, setName] = useState(node?.data.name ?? "");
  const body = useRef<HTMLDivElement>(null);
  const store = editorStore.getState;

  useEffect(() => setName(node?.data.name ?? ""), [node?.data.name]);
  // The panel narrows the canvas: keep the node it edits in view.
  useEffect(() => {
    const timer = window.setTimeout(() => viewport()?.reveal(id), 30);
    return () => window.clearTimeout(timer);
  }, [id]);

  const doc = useMemo(() => toDocument(base, nodes, edges), [base, nodes, edges]);
  const triggerTypes = useMemo(() => new Set(Object.values(byType).filter((s) => s.trigger).map((s) => s.type)), [byType]);
  const input = useMemo(() => inputData(doc, id, steps), [doc, id, steps]);
  const others = useMemo(() => nodesData(doc, steps), [doc, steps]);
  const scope = useMemo(() => previewScope(doc, id, steps, triggerTypes), [doc, id, steps, triggerTypes]);

  const mine = useMemo(() => [...problems, ...warnings].filter((p) => p.node_id === id), [problems, warnings, id]);
  const byField = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const p of mine) {
      const path = problemParamsPath(p);
      if (!path) continue;
      // A "required" problem points at the object; show it on the missing field when we can.
      const missing = /^'([^']+)' is required/.exec(p.message.replace(/^[^:]*: /, ""));
      const key = missing ? [...path, missing[1]].join("/") : path.join("/");
      if (!key) continue;
      map.set(key, [...(map.get(key) ?? []), p.message.replace(/^[^:]+: /, "")]);
    }
    return map;
  }, [mine]);
  const shownOnField = (p: (typeof mine)[number]) => {
    const path = problemParamsPath(p);
    if (!path) return false;
    return path.length > 0 || /^'([^']+)' is required/.test(p.message.replace(/^[^:]*: /, ""));
  };
  const general = mine.filter((p) => !shownOnField(p) && problemField(p) !== "credential");

  useEffect(() => {
    if (!focusField) return;
    if (focusField.startsWith("params") || focusField === "credential") setTab("params");
    const timer = window.setTimeout(() => {
      const target = body.current?.querySelector(`[data-field="${CSS.escape(focusField)}"]`) ??
        body.current?.querySelector(`[data-field^="${CSS.escape(focusField)}"]`);
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.classList.add("flash");
        window.setTimeout(() => target.classList.remove("flash"), 1200);
        (target.querySelector("input, textarea, select") as HTMLElement | null)?.focus();
      }
    }, 50);
    return () => window.clearTimeout(timer);
  }, [focusField, id]);

  if (!node) return null;
  const data = node.data;
  const step = steps[id];
  const pinned = base.pinned?.[id];
  const commitName = () => {
    const error = store().rename(id, name);
    if (error) {
      toast(error, "error");
      setName(data.name);
    }
  };
  const credentialProblem = mine.find((p) => problemField(p) === "credential")?.message;

  return (
    <aside className="node-panel" data-testid="node-panel" aria-label={`Node ${data.name}`}>
      <header className="node-panel-head">
        <input className="node-panel-name" value={name} aria-label="Node name" onChange={(e) => setName(e.target.value)}
          onBlur={commitName} onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()} />
        <button className="icon-btn" aria-label="Close panel" onClick={() => store().openPanel(null)}>×</button>
      </header>
      <div className="node-panel-sub">
        <span>{spec?.title ?? data.type}</span>
        <span className="muted">· {id}</span>
        <span className="spacer" />
        <button className="btn btn-small" onClick={() => store().toggleDisabled([id])}>{data.disabled ? "Enable" : "Disable"}</button>
        <button className="btn btn-small btn-danger-ghost" onClick={() => store().removeNode(id)}>Delete</button>
      </div>
      {spec?.description && <p className="node-panel-desc">{spec.description}</p>}
      <nav className="tabs" role="tablist">
        {(["params", "settings", "data"] as Tab[]).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? "active" : ""} onClick={() => setTab(t)}>
            {t === "params" ? "Parameters" : t === "settings" ? "Settings" : `Data${step ? " ●" : ""}`}
          </button>
        ))}
      </nav>
      <div className="node-panel-body" ref={body}>
        {general.map((p, i) => <div key={i} className={`notice notice-${p.severity}`}>{p.message}</div>)}
        {tab === "params" && (
          <div className={`params-grid${spec?.inputs.length ? " with-input" : ""}`}>
            {spec && spec.inputs.length > 0 && (
              <section className="input-data" aria-label="Input data">
                <h3>Input {input.source !== "none" && <span className="muted">({input.items.length} item{input.items.length === 1 ? "" : "s"}, {input.source === "run" ? "last test run" : "pinned data"})</span>}</h3>
                {input.items.length ? <DataTree item={input.items[0] as Json} /> : (
                  <p className="muted small">Run the workflow or pin data on an earlier node to see its fields here, then drag them onto the parameters.</p>
                )}
                {Object.entries(others).filter(([n]) => n !== data.name).length > 0 && (
                  <details className="other-nodes">
                    <summary>Other nodes</summary>
                    {Object.entries(others).filter(([n]) => n !== data.name).map(([n, items]) => (
                      <details key={n}><summary>{n}</summary><DataTree item={(items[0] ?? {}) as Json} nodeName={n} /></details>
                    ))}
                  </details>
                )}
              </section>
            )}
            <section className="params">
              {spec?.credential && (
                <CredentialPicker spec={spec} value={data.credential} problem={credentialProblem}
                  onChange={(credential) => store().updateNode(id, { credential })} />
              )}
              {spec ? (
                <SchemaForm schema={spec.params} value={data.params ?? {}} spec={spec} credential={data.credential}
                  problems={byField} scope={scope}
                  onChange={(params, path) => store().setParams(id, params, `params:${id}:${path.join("/")}`)} />
              ) : <p className="error-text">Unknown node type {data.type}: its parameters cannot be edited.</p>}
            </section>
          </div>
        )}
        {tab === "settings" && <Settings id={id} node={node} />}
        {tab === "data" && (
          <div className="run-data">
            {!step && !pinned && <p className="muted">No data yet: click “Test workflow” to run it, then look here.</p>}
            {step && (
              <>
                <p>Last test run: <span className={`badge badge-${step.status}`}>{step.status}</span>
                  {step.origin === "pinned" && <span className="muted"> (pinned data used)</span>}</p>
                {step.error && <div className="notice notice-error">{typeof step.error === "string" ? step.error : step.error.message}</div>}
                {Object.entries(step.input ?? {}).map(([port, items]) => <JsonView key={`in-${port}`} label={`Input · ${port} (${items.length})`} value={items} />)}
                {Object.entries(step.output ?? {}).map(([port, items]) => <JsonView key={`out-${port}`} label={`Output · ${port} (${items.length})`} value={items} />)}
                {step.output && (
                  <button className="btn" onClick={() => { store().setPinned(id, step.output as PortItems); toast("Output pinned as test data", "success"); }}>
                    Pin this output as test data
                  </button>
                )}
              </>
            )}
            <PinnedEditor id={id} pinned={pinned} />
          </div>
        )}
      </div>
    </aside>
  );
}

function PinnedEditor({ id, pinned }: { id: string; pinned: PortItems | undefined }) {
  const [text, setText] = useState(() => (pinned ? JSON.stringify(pinned, null, 2) : ""));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(pinned ? JSON.stringify(pinned, null, 2) : ""), [pinned]);
  const save = () => {
    try {
      const value = JSON.parse(text) as unknown;
      const ports = Array.isArray(value) ? { main: value } : value;
      if (!ports || typeof ports !== "object" || !Object.values(ports).every(Array.isArray)) {
        throw new Error("give a list of items, or an object of lists per port");
      }
      editorStore.getState().setPinned(id, ports as PortItems);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="pinned">
      <h3>Pinned test data {pinned && <span className="tag">used in test runs</span>}</h3>
      <p className="help">Test runs use pinned data instead of running this node. A list of items, or {"{ \"port\": [items] }"}.</p>
      <textarea className="code" rows={6} value={text} onChange={(e) => setText(e.target.value)} aria-label="Pinned data" spellCheck={false} />
      {error && <span className="error-text">{error}</span>}
      <div className="row">
        <button className="btn btn-small" onClick={save} disabled={!text.trim()}>Pin</button>
        {pinned && <button className="btn btn-small" onClick={() => editorStore.getState().setPinned(id, null)}>Unpin</button>}
      </div>
    </section>
  );
}

function Settings({ id, node }: { id: string; node: StepNode }) {
  const data = node.data;
  const update = (patch: Partial<StepNode["data"]>, key: string) => editorStore.getState().updateNode(id, patch, `settings:${id}:${key}`);
  const retry = data.retry ?? {};
  const num = (v: string) => (v === "" ? undefined : Number(v));
  const setRetry = (key: keyof NonNullable<typeof data.retry>, v: string) => {
    const next = { ...retry, [key]: num(v) };
    Object.keys(next).forEach((k) => next[k as keyof typeof next] === undefined && delete next[k as keyof typeof next]);
    update({ retry: Object.keys(next).length ? next : undefined }, `retry.${key}`);
  };
  return (
    <div className="settings" data-field="settings">
      <label className="field">
        <span className="field-label">Retry: attempts</span>
        <input type="number" min={1} max={10} value={retry.max_attempts ?? ""} placeholder="1" aria-label="Retry attempts"
          onChange={(e) => setRetry("max_attempts", e.target.value)} />
        <span className="help">How many times to try the node before it counts as failed (1 to 10).</span>
      </label>
      <label className="field">
        <span className="field-label">Retry: wait between attempts (s)</span>
        <input type="number" min={0} max={3600} value={retry.backoff_s ?? ""} placeholder="0" aria-label="Retry backoff"
          onChange={(e) => setRetry("backoff_s", e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">Retry: longest wait (s)</span>
        <input type="number" min={0} max={3600} value={retry.max_backoff_s ?? ""} aria-label="Retry max backoff"
          onChange={(e) => setRetry("max_backoff_s", e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">On error</span>
        <select value={data.on_error ?? "stop"} aria-label="On error"
          onChange={(e) => update({ on_error: e.target.value === "stop" ? undefined : e.target.value as "continue" | "error_output" }, "on_error")}>
          <option value="stop">Stop the workflow</option>
          <option value="continue">Continue (pass the items on)</option>
          <option value="error_output">Send to the “error” output</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">Timeout (s)</span>
        <input type="number" min={0} value={data.timeout_s ?? ""} placeholder="the run's limit" aria-label="Timeout"
          onChange={(e) => update({ timeout_s: num(e.target.value) }, "timeout")} />
      </label>
      <label className="field">
        <span className="field-label">Notes</span>
        <textarea rows={4} value={data.notes ?? ""} aria-label="Notes"
          onChange={(e) => update({ notes: e.target.value || undefined }, "notes")} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={!!data.disabled} onChange={() => editorStore.getState().toggleDisabled([id])} />
        <span>Disabled (items pass through untouched)</span>
      </label>
    </div>
  );
}

