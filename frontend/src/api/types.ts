/** JSON shapes the server speaks (see server/api/*.py and server/engine/schema.py). */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Item = JsonObject;
export type PortItems = Record<string, Item[]>;

export const FORMAT = "flowlane/workflow@1";

export interface DocNode {
  id: string;
  type: string;
  name: string;
  position?: [number, number];
  params?: JsonObject;
  credential?: string | null;
  retry?: { max_attempts?: number; backoff_s?: number; max_backoff_s?: number };
  on_error?: "stop" | "continue" | "error_output";
  timeout_s?: number | null;
  disabled?: boolean;
  notes?: string;
}

export interface DocEdge {
  from: string;
  to: string;
  from_port?: string;
  to_port?: string;
}

export interface DocNote {
  id: string;
  text: string;
  position?: [number, number];
  size?: [number, number];
  color?: string;
}

export interface WorkflowDoc {
  format: string;
  name: string;
  description?: string;
  nodes: DocNode[];
  edges?: DocEdge[];
  settings?: JsonObject;
  notes?: DocNote[];
  pinned?: Record<string, PortItems>;
  meta?: JsonObject;
}

export interface RunSummary {
  id: number;
  status: string;
  created_at: string | null;
}

export interface WorkflowInfo {
  id: number;
  name: string;
  active: boolean;
  version: number | null;
  active_version: number | null;
  created_at: string | null;
  updated_at: string | null;
  last_run?: RunSummary;
  document?: WorkflowDoc;
  webhook_urls?: Record<string, string>;
  saved_version?: number;
  warnings?: Problem[];
}

export interface Problem {
  message: string;
  pointer: string;
  node_id: string | null;
  severity: "error" | "warning";
}

/** A JSON Schema, as far as the form renderer reads it. */
export interface Schema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: Json;
  enum?: Json[];
  const?: Json;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  format?: string;
  secret?: boolean;
  ui?: { options?: OptionsRef; depends_on?: string[]; widget?: string; placeholder?: string };
  "x-options"?: OptionsRef;
  options?: OptionsRef;
  depends_on?: string[];
  [key: string]: unknown;
}

export type OptionsRef = string | { source: string; depends_on?: string[] };

export interface NodeSpec {
  type: string;
  title: string;
  group: string;
  description: string;
  icon: string;
  inputs: string[];
  outputs: string[];
  outputs_from: {
    param: string;
    key: string;
    default?: string;
    extra?: string[];
    expression_mode?: { param: string };
  } | null;
  params: Schema;
  credential: string | null;
  credential_required: boolean;
  trigger: string | null;
  ui: { options?: Record<string, OptionsRef>; form?: string; [key: string]: unknown };
}

export interface Catalogue {
  groups: string[];
  nodes: NodeSpec[];
}

export interface CredentialKind {
  id: string;
  title: string;
  family: string;
  description: string;
  schema: Schema;
}

export interface Credential {
  id: number;
  name: string;
  kind: string;
  data: JsonObject;
  created_at: string;
  updated_at: string;
}

export interface StepInfo {
  id: number;
  run_id: number;
  node_id: string;
  node_name: string;
  status: string;
  input_counts: Record<string, number>;
  output_counts: Record<string, number>;
  error: string | null | { message: string };
  origin?: string | null;
  input?: PortItems | null;
  output?: PortItems | null;
  params?: JsonObject | null;
  iteration?: number | null;
  attempt?: number;
}

export interface RunDetail {
  id: number;
  workflow_id: number;
  status: string;
  error: { message?: string } | string | null;
  steps: StepInfo[];
}

export interface VersionInfo {
  number: number;
  created_at: string | null;
  created_by: string | null;
  active: boolean;
  nodes: number;
}

/** POST /api/connections/<id>/test (HighLevel connections). */
export interface ConnectionTest {
  ok: boolean;
  message: string;
  location: { id: string; name: string | null } | null;
  scopes?: { granted: string[] | null; needed: string[]; missing: string[] | null };
  workflows?: { id?: number; name?: string }[] | unknown;
}
