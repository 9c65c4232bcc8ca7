/** Files runs made, for the Reports page (GET /api/artifacts in server/api/notifications.py). */
import { call } from "./client";
import type { Artifact } from "./runs";

/** A file as the run lists it, plus the workflow that made it. */
export interface ReportFile extends Artifact {
  workflow_id: number | null;
  workflow_name: string | null;
  created_at: string;
}

export const reportsApi = {
  /** Newest first; `before` is the last artifact_id shown, for the next page. */
  list: (query: { workflow?: number | null; before?: number | null; limit: number }) => {
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.workflow) params.set("workflow_id", String(query.workflow));
    if (query.before) params.set("before", String(query.before));
    return call<{ artifacts: ReportFile[] }>("GET", `/api/artifacts?${params}`).then((r) => r.artifacts);
  },
};
