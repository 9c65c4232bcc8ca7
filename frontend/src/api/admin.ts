/** Settings, people, API tokens and the audit log (server/api/settings.py and people.py). */
import { call } from "./client";
import type { JsonObject } from "./types";
import type { User } from "./session";

export interface SettingsSchema {
  properties: Record<string, {
    type?: string;
    title?: string;
    description?: string;
    minimum?: number;
    maximum?: number;
    ui?: { options?: string; kind?: string };
  }>;
}

export interface SettingsAnswer {
  settings: JsonObject;
  schema: SettingsSchema;
}

export interface Person extends User {
  disabled: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  created_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  target_type: string;
  target_id: number | string | null;
  detail: JsonObject | null;
  ip: string | null;
}

export const ROLES: User["role"][] = ["viewer", "editor", "admin", "owner"];

export const adminApi = {
  settings: () => call<SettingsAnswer>("GET", "/api/settings"),
  saveSettings: (changes: JsonObject) => call<SettingsAnswer>("PUT", "/api/settings", changes),

  users: () => call<{ users: Person[] }>("GET", "/api/users").then((r) => r.users),
  createUser: (body: { email: string; role: string; name?: string; password?: string }) =>
    call<{ user: Person; generated_password: string | null }>("POST", "/api/users", body),
  updateUser: (id: number, body: { role?: string; name?: string; disabled?: boolean }) =>
    call<Person>("PUT", `/api/users/${id}`, body),
  deleteUser: (id: number) => call<void>("DELETE", `/api/users/${id}`),

  tokens: () => call<{ tokens: ApiToken[] }>("GET", "/api/tokens").then((r) => r.tokens),
  createToken: (name: string) => call<ApiToken & { token: string }>("POST", "/api/tokens", { name }),
  revokeToken: (id: number) => call<void>("DELETE", `/api/tokens/${id}`),

  audit: (query: { before?: number; target_type?: string; limit?: number }) => {
    const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
    if (query.before) params.set("before", String(query.before));
    if (query.target_type) params.set("target_type", query.target_type);
    return call<{ entries: AuditEntry[] }>("GET", `/api/audit?${params}`).then((r) => r.entries);
  },
};
