/** Create or edit a connection; its form comes from the kind's schema. Secrets are write-only. */
import { useState } from "react";
import { ApiError, api } from "../api/client";
import type { Credential, CredentialKind, Json, JsonObject } from "../api/types";
import { label } from "../lib/schema";
import { Dialog } from "./Dialog";

const MASK = "••••••••";

export function CredentialDialog({ kinds, existing, onSaved, onClose }: {
  kinds: CredentialKind[];
  existing?: Credential;
  onSaved: (credential: Credential) => void;
  onClose: () => void;
}) {
  const [kindId, setKindId] = useState(existing?.kind ?? kinds[0]?.id ?? "");
  const kind = kinds.find((k) => k.id === kindId);
  const [name, setName] = useState(existing?.name ?? (kind ? `${kind.title}` : ""));
  const [data, setData] = useState<Record<string, string>>(() => {
    const initial: Record<string, string> = {};
    for (const [key, value] of Object.entries(existing?.data ?? {})) {
      if (value !== MASK) initial[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return initial;
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const properties = kind?.schema.properties ?? {};

  const save = async () => {
    if (!kind) return;
    setBusy(true);
    setError(null);
    const payload: JsonObject = {};
    for (const [key, schema] of Object.entries(properties)) {
      const raw = data[key];
      if (raw === undefined || raw === "") {
        if (!existing && schema.default !== undefined) payload[key] = schema.default as Json;
        continue;
      }
      payload[key] = schema.type === "integer" || schema.type === "number" ? Number(raw) : raw;
    }
    try {
      const saved = existing
        ? await api.updateCredential(existing.id, { name: name.trim(), data: payload })
        : await api.createCredential({ name: name.trim(), kind: kind.id, data: payload });
      onSaved(saved);
      onClose();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={existing ? `Edit ${existing.name}` : "New connection"} onClose={onClose} testId="credential-dialog"
      footer={<><button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy || !name.trim() || !kind} onClick={() => void save()}>
          {existing ? "Save" : "Create"}</button></>}>
      {!existing && (
        <label className="field">
          <span className="field-label">Kind<span className="req">*</span></span>
          <select value={kindId} aria-label="Connection kind" onChange={(e) => {
            const next = kinds.find((k) => k.id === e.target.value);
            setKindId(e.target.value);
            if (next && (!name || kinds.some((k) => k.title === name))) setName(next.title);
          }}>
            {kinds.map((k) => <option key={k.id} value={k.id}>{k.title}</option>)}
          </select>
          {kind?.description && <span className="help">{kind.description}</span>}
        </label>
      )}
      <label className="field">
        <span className="field-label">Name<span className="req">*</span></span>
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Connection name" />
        <span className="help">Nodes refer to the connection by this name.</span>
      </label>
      {Object.entries(properties).map(([key, schema]) => {
        const required = kind?.schema.required?.includes(key);
        const isSecret = !!schema.secret;
        const stored = existing?.data[key] === MASK;
        return (
          <label className="field" key={key}>
            <span className="field-label">{label(schema, key)}{required && <span className="req">*</span>}
              {isSecret && <span className="tag">secret</span>}</span>
            <input type={isSecret ? "password" : "text"} autoComplete="off" aria-label={label(schema, key)}
              value={data[key] ?? ""} placeholder={isSecret && stored ? "Saved; type to replace" : (schema.default !== undefined ? String(schema.default) : "")}
              onChange={(e) => setData({ ...data, [key]: e.target.value })} />
            {schema.description && <span className="help">{schema.description}</span>}
          </label>
        );
      })}
      {error && <p className="error-text" role="alert">{error}</p>}
    </Dialog>
  );
}
