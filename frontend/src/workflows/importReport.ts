/** n8n imports from the Workflows page: send the export, then show the report in a dialog
 *  (the dialog host is mounted once in App, since a file can be dropped on any page). */
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import { ApiError } from "../api/client";
import { n8nApi, type N8nReport } from "../api/n8n";
import type { Problem, WorkflowInfo } from "../api/types";
import { toast } from "../components/toast";

export interface ShownReport {
  report: N8nReport;
  /** The created workflow; null when nothing was saved (the result would not validate). */
  workflow: WorkflowInfo | null;
  problem?: string;
  errors?: Problem[];
}

const store = createStore<{ shown: ShownReport | null; imported: number }>()(() => ({ shown: null, imported: 0 }));

export function closeReport(): void {
  store.setState({ shown: null });
}

export function useImportReport(): ShownReport | null {
  return useStore(store, (s) => s.shown);
}

/** Goes up by one on each successful import: lists showing workflows read again. */
export function useImportCount(): number {
  return useStore(store, (s) => s.imported);
}

export async function importN8n(data: unknown): Promise<boolean> {
  try {
    const result = await n8nApi.importWorkflow(data);
    store.setState((s) => ({ shown: { report: result.report, workflow: result.workflow }, imported: s.imported + 1 }));
    toast(`Imported "${result.workflow.name}" from n8n`, "success");
    return true;
  } catch (err) {
    const report = err instanceof ApiError ? (err.body.report as N8nReport | undefined) : undefined;
    if (report) {
      store.setState({ shown: { report, workflow: null, problem: (err as Error).message, errors: (err as ApiError).errors } });
    }
    toast(`n8n import failed: ${(err as Error).message}`, "error");
    return false;
  }
}
