/** The only code that talks HTTP to the server. Errors become `ApiError` with the problem. */
import type {
  Catalogue, ConnectionTest, Credential, CredentialKind, Json, JsonObject, PortItems, Problem, RunDetail,
  VersionInfo, WorkflowDoc, WorkflowInfo,
} from "./types";
import { getSession, signedOut, type User } from "./session";

export class ApiError extends Error {
  status: number;
  errors: Problem[];
  warnings: Problem[];
  /** The whole problem document (some carry more, e.g. an import's report). */
  body: Record<string, unknown>;
  constructor(status: number, detail: string, errors: Problem[] = [], warnings: Problem[] = [],
    body: Record<string, unknown> = {}) {
    super(detail);
    this.status = status;
    this.errors = errors;
    this.warnings = warnings;
    this.body = body;
  }
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  // Changes made with the session cookie carry the CSRF token the server gave at sign-in.
  if (method !== "GET" && getSession().csrf) headers["X-CSRFToken"] = getSession().csrf;
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (body instanceof Blob) {
    // A file goes as it is, with its own type (e.g. a CSV import).
    init.body = body;
    init.headers = { ...headers, "Content-Type": body.type || "application/octet-stream" };
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...headers, "Content-Type": "application/json" };
  }
  const response = await fetch(path, init);
  if (response.status === 401 && !path.startsWith("/api/auth/")) signedOut();
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = (data ?? {}) as { detail?: string; errors?: Problem[]; warnings?: Problem[] };
    const errors = (problem.errors ?? []).map(normaliseProblem);
    const warnings = (problem.warnings ?? []).map((p) => normaliseProblem({ ...p, severity: "warning" }));
    throw new ApiError(response.status, problem.detail ?? `${response.status} ${response.statusText}`, errors, warnings,
      problem as Record<string, unknown>);
  }
  return data as T;
}

function normaliseProblem(p: Partial<Problem>): Problem {
  return { message: p.message ?? "", pointer: p.pointer ?? "", node_id: p.node_id ?? null, severity: p.severity ?? "error" };
}

const enc = encodeURIComponent;

export const api = {
  me: () => call<{ user: User; csrf_token: string }>("GET", "/api/auth/me"),
  login: (email: string, password: string) =>
    call<{ user: User; csrf_token: string }>("POST", "/api/auth/login", { email, password }),
  logout: () => call<void>("POST", "/api/auth/logout"),
  changePassword: (current_password: string, new_password: string) =>
    call<{ user: User; csrf_token: string }>("POST", "/api/auth/password", { current_password, new_password }),
  catalogue: () => call<Catalogue>("GET", "/api/nodes"),
  credentialKinds: () => call<{ kinds: CredentialKind[] }>("GET", "/api/credential-kinds").then((r) => r.kinds),

  listWorkflows: (q = "") =>
    call<{ workflows: WorkflowInfo[] }>("GET", `/api/workflows${q ? `?q=${enc(q)}` : ""}`).then((r) => r.workflows),
  getWorkflow: (id: number) => call<WorkflowInfo>("GET", `/api/workflows/${id}`),
  createWorkflow: (name: string) => call<WorkflowInfo>("POST", "/api/workflows", { name }),
  saveWorkflow: (id: number, document: WorkflowDoc) =>
    call<WorkflowInfo>("PUT", `/api/workflows/${id}`, { document }),
  deleteWorkflow: (id: number) => call<void>("DELETE", `/api/workflows/${id}`),
  duplicateWorkflow: (id: number) => call<WorkflowInfo>("POST", `/api/workflows/${id}/duplicate`),
  importWorkflow: (document: unknown) =>
    call<{ workflow: WorkflowInfo; report: unknown }>("POST", "/api/workflows/import", document),
  validate: (document: WorkflowDoc) =>
    call<{ valid: boolean; errors: Problem[]; warnings: Problem[] }>("POST", "/api/workflows/validate", document),
  activate: (id: number) => call<WorkflowInfo>("POST", `/api/workflows/${id}/activate`),
  deactivate: (id: number) => call<WorkflowInfo>("POST", `/api/workflows/${id}/deactivate`),
  exportUrl: (id: number) => `/api/workflows/${id}/export`,
  versions: (id: number) =>
    call<{ versions: VersionInfo[] }>("GET", `/api/workflows/${id}/versions`).then((r) => r.versions),
  version: (id: number, n: number) =>
    call<{ number: number; document: WorkflowDoc }>("GET", `/api/workflows/${id}/versions/${n}`),
  runWorkflow: (id: number, body: { pinned?: Record<string, PortItems>; trigger_node?: string; input?: Json }) =>
    call<{ run_id: number; status: string }>("POST", `/api/workflows/${id}/run`, body),

  getRun: (id: number) => call<RunDetail>("GET", `/api/runs/${id}`),

  listCredentials: () => call<{ credentials: Credential[] }>("GET", "/api/credentials").then((r) => r.credentials),
  createCredential: (body: { name: string; kind: string; data: JsonObject }) =>
    call<Credential>("POST", "/api/credentials", body),
  updateCredential: (id: number, body: { name?: string; data?: JsonObject }) =>
    call<Credential>("PUT", `/api/credentials/${id}`, body),
  deleteCredential: (id: number) => call<void>("DELETE", `/api/credentials/${id}`),
  testConnection: (id: number) => call<ConnectionTest>("POST", `/api/connections/${id}/test`),
  /** Where the browser goes to authorise an OAuth connection (the server redirects onwards). */
  authorizeUrl: (id: number) => `/api/connections/${id}/authorize`,

  previewExpression: (body: { template: string; item?: Json; items?: Json[]; nodes?: Record<string, Json[]>; trigger?: Json }) =>
    call<{ ok: boolean; value?: Json; error?: string }>("POST", "/api/expressions/preview", body),

  /** Live options for a dropdown; null when the server has no such source (404). */
  options: async (source: string, query: Record<string, string>): Promise<{ value: string; label: string }[] | null> => {
    // 404: no such source (yet) or connection; the field stays a plain input.
    const qs = new URLSearchParams(query).toString();
    try {
      const r = await call<{ options: { value: string; label?: string }[] }>(
        "GET", `/api/options/${source.split("/").map(enc).join("/")}${qs ? `?${qs}` : ""}`);
      return r.options.map((o) => ({ value: String(o.value), label: o.label ?? String(o.value) }));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return null;
      throw err;
    }
  },
};

