/** Reports: the files workflows made (CSV, PDF), newest first, with their workflow and run;
 *  filter by workflow (kept in the URL), download, and "Load more" for older files. */
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { reportsApi, type ReportFile } from "../api/reports";
import type { WorkflowInfo } from "../api/types";
import { Link } from "../components/Link";
import { toast } from "../components/toast";
import { fileKind, formatBytes } from "../reports/files";
import { navigate, useLocation } from "../router";

const PAGE_SIZE = 50;

function workflowFilter(location: string): number | null {
  const value = Number(new URLSearchParams(location.split("?")[1] ?? "").get("workflow"));
  return Number.isInteger(value) && value > 0 ? value : null;
}

export function ReportsPage() {
  const location = useLocation();
  const workflow = workflowFilter(location);
  const [files, setFiles] = useState<ReportFile[] | null>(null);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [workflows, setWorkflows] = useState<WorkflowInfo[]>([]);
  const shown = useRef(workflow);
  shown.current = workflow;

  const load = useCallback(async (forWorkflow: number | null, before: number | null) => {
    setLoading(true);
    try {
      const page = await reportsApi.list({ workflow: forWorkflow, before, limit: PAGE_SIZE });
      if (shown.current !== forWorkflow) return;
      setFiles((current) => (before ? [...(current ?? []), ...page] : page));
      setMore(page.length === PAGE_SIZE);
    } catch (err) {
      toast(`Could not load reports: ${(err as Error).message}`, "error");
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    setFiles(null);
    void load(workflow, null);
  }, [workflow, load]);
  useEffect(() => {
    api.listWorkflows().then(setWorkflows, () => undefined);
  }, []);

  const pick = (id: number | null) => navigate(id ? `/reports?workflow=${id}` : "/reports");

  return (
    <main className="page" data-testid="reports-page">
      <div className="page-head">
        <h1>Reports</h1>
        <div className="toolbar">
          <select aria-label="Workflow" value={workflow ?? ""} onChange={(e) => pick(e.target.value ? Number(e.target.value) : null)}>
            <option value="">All workflows</option>
            {workflow && !workflows.some((w) => w.id === workflow) && <option value={workflow}>Workflow {workflow}</option>}
            {workflows.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
          </select>
          <button className="btn" disabled={loading} onClick={() => void load(workflow, null)}>Refresh</button>
        </div>
      </div>
      <p className="hint">Files made by the CSV file and PDF report steps of your workflows. They are kept with their run, so
        run retention deletes them with it.</p>
      {files === null ? <p className="muted">Loading…</p> : files.length === 0 ? (
        <div className="empty" data-testid="reports-empty">
          {workflow ? "This workflow has made no files yet." : "No reports yet. A workflow with a CSV file or PDF report step makes one each time it runs."}
        </div>
      ) : (
        <table className="table" data-testid="reports-table">
          <thead>
            <tr><th>Name</th><th>Kind</th><th>Workflow</th><th>Run</th><th>Created</th><th>Size</th><th aria-label="Download" /></tr>
          </thead>
          <tbody>
            {files.map((file) => (
              <tr key={file.artifact_id} data-testid="report-row" data-name={file.name}>
                <td className="wf-name">{file.name}</td>
                <td><span className={`badge kind-${fileKind(file).toLowerCase()}`}>{fileKind(file)}</span></td>
                <td>
                  {file.workflow_id ? (
                    <Link href={`/reports?workflow=${file.workflow_id}`} title="Reports of this workflow">
                      {file.workflow_name ?? `Workflow ${file.workflow_id}`}
                    </Link>
                  ) : <span className="muted">–</span>}
                </td>
                <td>{file.run_id ? <Link href={`/runs/${file.run_id}`}>#{file.run_id}</Link> : <span className="muted">–</span>}</td>
                <td className="muted">{new Date(file.created_at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}</td>
                <td className="muted">{formatBytes(file.size)}</td>
                <td className="row-actions">
                  {file.mime === "application/pdf" && (
                    <a className="btn btn-small" href={`${file.url}?inline=1`} target="_blank" rel="noopener noreferrer">View</a>
                  )}
                  <a className="btn btn-small" href={file.url} download={file.name} data-testid="download">Download</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && files && (
        <div className="load-more">
          <button className="btn" disabled={loading} onClick={() => void load(workflow, files[files.length - 1].artifact_id)}>
            {loading ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </main>
  );
}
