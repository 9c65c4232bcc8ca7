/** The list of workflows: search, activate, create, duplicate, delete, import and export. */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../api/client";
import { atLeast } from "../api/session";
import type { WorkflowInfo } from "../api/types";
import { importText } from "../App";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { Link } from "../components/Link";
import { StatusBadge } from "../components/StatusBadge";
import { toast } from "../components/toast";
import { when } from "../lib/format";
import { navigate } from "../router";
import { TemplatesDialog } from "../workflows/TemplatesDialog";
import { useImportCount } from "../workflows/importReport";

export function WorkflowsPage() {
  const [query, setQuery] = useState("");
  const [workflows, setWorkflows] = useState<WorkflowInfo[] | null>(null);
  const [deleting, setDeleting] = useState<WorkflowInfo | null>(null);
  const [creating, setCreating] = useState(false);
  const [pasting, setPasting] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const imported = useImportCount();
  const fileInput = useRef<HTMLInputElement>(null);
  const canEdit = atLeast("editor");

  const load = useCallback(async (q: string) => {
    try {
      setWorkflows(await api.listWorkflows(q));
    } catch (err) {
      toast(`Could not load workflows: ${(err as Error).message}`, "error");
    }
  }, []);

  useEffect(() => {
    const timer = window.setTimeout(() => void load(query), query ? 200 : 0);
    return () => window.clearTimeout(timer);
  }, [query, load, imported]);

  const toggleActive = async (wf: WorkflowInfo) => {
    try {
      const updated = wf.active ? await api.deactivate(wf.id) : await api.activate(wf.id);
      setWorkflows((list) => list?.map((w) => (w.id === wf.id ? { ...w, ...updated, last_run: w.last_run } : w)) ?? null);
      toast(`${wf.name} is ${updated.active ? "active" : "inactive"}`, "success");
    } catch (err) {
      toast(`${wf.active ? "Deactivate" : "Activate"} failed: ${(err as Error).message}`, "error");
    }
  };

  const duplicate = async (wf: WorkflowInfo) => {
    try {
      const copy = await api.duplicateWorkflow(wf.id);
      toast(`Duplicated as "${copy.name}"`, "success");
      await load(query);
    } catch (err) {
      toast(`Duplicate failed: ${(err as Error).message}`, "error");
    }
  };

  const remove = async (wf: WorkflowInfo) => {
    try {
      await api.deleteWorkflow(wf.id);
      toast(`Deleted "${wf.name}"`, "success");
      await load(query);
    } catch (err) {
      toast(`Delete failed: ${(err as Error).message}`, "error");
    }
  };

  const onFile = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) await importText(await file.text());
  };

  return (
    <main className="page" data-testid="workflows-page">
      <div className="page-head">
        <h1>Workflows</h1>
        <div className="toolbar">
          <input className="search" type="search" placeholder="Search workflows" aria-label="Search workflows"
            value={query} onChange={(e) => setQuery(e.target.value)} />
          {canEdit && <>
            <button className="btn" onClick={() => fileInput.current?.click()}>Import file</button>
            <button className="btn" onClick={() => setPasting(true)}>Paste JSON</button>
            <button className="btn" onClick={() => setBrowsing(true)}>Templates</button>
            <button className="btn btn-primary" onClick={() => setCreating(true)}>New workflow</button>
          </>}
          <input ref={fileInput} type="file" accept=".json,application/json" hidden data-testid="import-file" onChange={onFile} />
        </div>
      </div>
      <p className="hint">Tip: drop a workflow <code>.json</code> file (Flowlane's, or an n8n export) anywhere on this page to import it.</p>
      {workflows === null ? (
        <p className="muted">Loading…</p>
      ) : workflows.length === 0 ? (
        <div className="empty">
          {query ? <p>No workflow matches "{query}".</p> : <>
            <p>No workflows yet. Create one, start from a template, or import a <code>.json</code> file.</p>
            {canEdit && <button className="btn btn-primary" onClick={() => setBrowsing(true)}>Browse templates</button>}
          </>}
        </div>
      ) : (
        <table className="table" data-testid="workflow-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Active</th>
              <th>Last run</th>
              <th>Version</th>
              <th>Updated</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {workflows.map((wf) => (
              <tr key={wf.id} data-testid="workflow-row" data-name={wf.name}>
                <td><Link href={`/workflows/${wf.id}`} className="wf-name">{wf.name}</Link></td>
                <td>
                  <label className="switch" title={wf.active ? "Deactivate" : "Activate"}>
                    <input type="checkbox" checked={wf.active} onChange={() => void toggleActive(wf)} disabled={!canEdit}
                      aria-label={`Active: ${wf.name}`} />
                    <span />
                  </label>
                </td>
                <td>
                  {wf.last_run ? (
                    <Link href={`/runs/${wf.last_run.id}`} title={when(wf.last_run.created_at)}>
                      <StatusBadge status={wf.last_run.status} />
                    </Link>
                  ) : <StatusBadge status={null} />}
                </td>
                <td className="muted">v{wf.version ?? "–"}{wf.active_version ? ` (live v${wf.active_version})` : ""}</td>
                <td className="muted">{when(wf.updated_at)}</td>
                <td className="row-actions">
                  <Link className="btn btn-small" href={`/runs?workflow=${wf.id}`} data-testid="workflow-runs"
                    aria-label={`Runs of ${wf.name}`}>Runs</Link>
                  {canEdit && <button className="btn btn-small" onClick={() => void duplicate(wf)}>Duplicate</button>}
                  <a className="btn btn-small" href={api.exportUrl(wf.id)} download>Export</a>
                  {canEdit && <button className="btn btn-small btn-danger-ghost" onClick={() => setDeleting(wf)}>Delete</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <ConfirmDialog title="Delete workflow" danger confirm="Delete"
          text={<>Delete <strong>{deleting.name}</strong> with all its versions and runs? This cannot be undone.</>}
          onConfirm={() => void remove(deleting)} onClose={() => setDeleting(null)} />
      )}
      {creating && <CreateDialog onClose={() => setCreating(false)} />}
      {pasting && <PasteDialog onClose={() => setPasting(false)} />}
      {browsing && <TemplatesDialog onClose={() => setBrowsing(false)} />}
    </main>
  );
}

function CreateDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState("My workflow");
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    try {
      const wf = await api.createWorkflow(name.trim() || "My workflow");
      onClose();
      navigate(`/workflows/${wf.id}`);
    } catch (err) {
      toast(`Could not create: ${err instanceof ApiError ? err.message : String(err)}`, "error");
      setBusy(false);
    }
  };
  return (
    <Dialog title="New workflow" onClose={onClose}
      footer={<><button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy} onClick={() => void create()}>Create</button></>}>
      <label className="field">
        <span className="field-label">Name</span>
        <input autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-label="Workflow name"
          onKeyDown={(e) => e.key === "Enter" && void create()} />
      </label>
    </Dialog>
  );
}

function PasteDialog({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState("");
  return (
    <Dialog title="Import from JSON" onClose={onClose} wide
      footer={<><button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={!text.trim()}
          onClick={() => void importText(text).then((ok) => ok && onClose())}>Import</button></>}>
      <p className="muted">Paste a workflow document (as exported), or an n8n workflow (downloaded, or nodes copied in n8n's editor).</p>
      <textarea className="code" rows={16} value={text} onChange={(e) => setText(e.target.value)}
        aria-label="Workflow JSON" placeholder='{"format": "flowlane/workflow@1", "name": "...", "nodes": [...]}' />
    </Dialog>
  );
}
