/** The workflow's own settings: which runs it keeps, its timezone, its error workflow, whether
 *  its failures alert. They are part of the document, so they are saved (and versioned) with
 *  the workflow. */
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Json, WorkflowInfo } from "../api/types";
import { Dialog } from "../components/Dialog";
import { editorStore, useEditor } from "../store/editor";

const SAVE_RUNS: [string, string, string][] = [
  ["all", "All runs", "Every run keeps its steps and their data."],
  ["failed", "Failed runs only", "Successful runs are deleted when they end; failed ones keep everything."],
  ["none", "None", "No run data is kept. Failed runs keep their row and error, so failures are still counted."],
];

export function WorkflowSettingsDialog({ onClose }: { onClose: () => void }) {
  const settings = useEditor((s) => s.base.settings) ?? {};
  const workflowId = useEditor((s) => s.workflowId);
  const [workflows, setWorkflows] = useState<WorkflowInfo[]>([]);
  useEffect(() => {
    api.listWorkflows().then(setWorkflows, () => undefined);
  }, []);
  const set = (key: string, value: Json) => editorStore.getState().setSettings({ [key]: value });
  const saveRuns = String(settings.save_runs ?? "all");
  const errorWorkflow = settings.error_workflow ?? null;
  // Named by id, or (in hand-written documents) by name.
  const target = workflows.find((w) => w.id === errorWorkflow || w.name === errorWorkflow);
  const shown = errorWorkflow === null ? "" : String(target?.id ?? errorWorkflow);
  return (
    <Dialog title="Workflow settings" onClose={onClose} testId="workflow-settings"
      footer={<><span className="muted small">Saved with the workflow.</span>
        <button className="btn btn-primary" onClick={onClose}>Done</button></>}>
      <label className="field">
        <span className="field-label">Save runs</span>
        <select value={saveRuns} aria-label="Save runs" onChange={(e) => set("save_runs", e.target.value)}>
          {SAVE_RUNS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
        <span className="help">{SAVE_RUNS.find(([v]) => v === saveRuns)?.[2]} Old runs are also pruned by the global retention.</span>
      </label>
      <label className="field">
        <span className="field-label">Timezone</span>
        <input value={String(settings.timezone ?? "")} aria-label="Timezone" placeholder="UTC"
          onChange={(e) => set("timezone", e.target.value || null)} />
        <span className="help">An IANA name such as Europe/Paris: schedules and dates without a zone use it.</span>
      </label>
      <label className="field">
        <span className="field-label">Error workflow</span>
        <select value={shown} aria-label="Error workflow"
          onChange={(e) => {
            const value = e.target.value;
            set("error_workflow", !value ? null : /^\d+$/.test(value) ? Number(value) : value);
          }}>
          <option value="">None</option>
          {errorWorkflow !== null && !target && <option value={shown}>{shown}</option>}
          {workflows.filter((w) => w.id !== workflowId).map((w) => (
            <option key={w.id} value={w.id}>{w.name}</option>
          ))}
        </select>
        <span className="help">Runs when a run of this workflow fails (its trigger is “When a workflow fails”).</span>
      </label>
      <label className="field">
        <span className="field-label">Failure alerts</span>
        <select aria-label="Failure alerts" value={settings.failure_alerts === true ? "on" : settings.failure_alerts === false ? "off" : ""}
          onChange={(e) => set("failure_alerts", e.target.value === "" ? null : e.target.value === "on")}>
          <option value="">As in Settings (for every workflow)</option>
          <option value="on">Always alert when a run of this workflow fails</option>
          <option value="off">Never alert for this workflow</option>
        </select>
        <span className="help">Alerts go to the bell, and to Slack or email when Settings name a connection for them.</span>
      </label>
    </Dialog>
  );
}
