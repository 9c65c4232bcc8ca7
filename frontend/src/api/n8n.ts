/** Importing n8n workflow exports: recognising one, and POST /api/import/n8n. */
import { call } from "./client";
import type { Problem, WorkflowDoc, WorkflowInfo } from "./types";

export interface N8nReport {
  source: { format: "n8n"; name: string };
  summary: {
    nodes: number;
    mapped: number;
    needs_attention: number;
    sticky_notes: number;
    expressions_translated: number;
    expressions_untranslated: number;
    credentials_to_connect: number;
  };
  nodes: { name: string; n8n_type: string; type_version: number; flowlane_type: string | null; status: string }[];
  attention: { reason: string; node: string | null; kind: string }[];
  credentials: { name: string; n8n_type: string; kind: string | null; nodes: string[] }[];
  validation: { errors?: Problem[]; warnings?: Problem[] };
}

export interface N8nImport {
  workflow: WorkflowInfo;
  report: N8nReport;
}

export const n8nApi = {
  /** 201 with the workflow and the report; a 422 carries the report in the problem body. */
  importWorkflow: (data: unknown) => call<N8nImport>("POST", "/api/import/n8n", data),
  /** Converted only, nothing saved: the editor pastes the document's nodes. */
  convert: (data: unknown) => call<{ document: WorkflowDoc; report: N8nReport }>("POST", "/api/import/n8n/convert", data),
};
