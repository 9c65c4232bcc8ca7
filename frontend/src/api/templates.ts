/** Workflow templates (GET /api/templates) and starting a workflow from one. */
import { call } from "./client";
import type { WorkflowInfo } from "./types";

export interface Template {
  id: string;
  name: string;
  description: string;
  group: string;
  node_count: number;
  /** What it needs before it runs: connection kinds or apps, as the server names them. */
  requires: (string | { kind?: string; name?: string; title?: string })[];
}

export const templatesApi = {
  list: () => call<{ templates: Template[] }>("GET", "/api/templates").then((r) => r.templates),
  /** 201 with the new workflow (the same shape POST /api/workflows answers with). */
  use: (id: string) => call<WorkflowInfo>("POST", `/api/templates/${encodeURIComponent(id)}/use`),
};
