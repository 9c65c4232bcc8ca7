/** Failure alerts (GET/PUT /api/settings): on or off, and the Slack and email channels.
 *  The fields come from the settings schema the server sends, so both check the same rules. */
import { useEffect, useState } from "react";
import { adminApi, type SettingsSchema } from "../api/admin";
import { api } from "../api/client";
import { atLeast } from "../api/session";
import type { Credential, JsonObject } from "../api/types";
import { toast } from "../components/toast";

const KEYS = ["failure_alerts", "failure_alert_slack_connection", "failure_alert_email_connection", "failure_alert_email_to"];

export function AlertSettings() {
  const [schema, setSchema] = useState<SettingsSchema | null>(null);
  const [saved, setSaved] = useState<JsonObject>({});
  const [values, setValues] = useState<JsonObject>({});
  const [connections, setConnections] = useState<Credential[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canEdit = atLeast("admin");

  useEffect(() => {
    adminApi.settings().then((answer) => {
      setSchema(answer.schema);
      setSaved(answer.settings);
      setValues(answer.settings);
    }, (err: Error) => setError(err.message));
    api.listCredentials().then(setConnections, () => undefined);
  }, []);

  const changes = Object.fromEntries(KEYS.filter((k) => values[k] !== saved[k]).map((k) => [k, values[k]]));
  const save = async () => {
    setBusy(true);
    try {
      const answer = await adminApi.saveSettings(changes);
      setSaved(answer.settings);
      setValues(answer.settings);
      setError(null);
      toast("Failure alert settings saved", "success");
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!schema) return error ? <div className="notice notice-error">{error}</div> : <p className="muted">Loading…</p>;
  const set = (key: string, value: JsonObject[string]) => setValues({ ...values, [key]: value });
  return (
    <form className="settings-form" data-testid="alert-settings" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      {KEYS.map((key) => {
        const field = schema.properties[key];
        if (!field) return null;
        const label = field.title ?? key;
        const value = values[key];
        if (field.type === "boolean") {
          return (
            <label key={key} className="checkbox settings-check">
              <input type="checkbox" checked={!!value} disabled={!canEdit} onChange={(e) => set(key, e.target.checked)} />
              <span><strong>{label}</strong>{field.description && <span className="help"> {field.description}</span>}</span>
            </label>
          );
        }
        const offKey = !values.failure_alerts;
        if (field.ui?.options === "connections") {
          const kind = field.ui.kind;
          const choices = connections.filter((c) => !kind || c.kind === kind);
          const current = typeof value === "string" ? value : "";
          return (
            <label key={key} className="field">
              <span className="field-label">{label}</span>
              <select aria-label={label} value={current} disabled={!canEdit || offKey} onChange={(e) => set(key, e.target.value)}>
                <option value="">None</option>
                {current && !choices.some((c) => c.name === current) && <option value={current}>{current} (missing)</option>}
                {choices.map((c) => <option key={c.id} value={c.name}>{c.name}</option>)}
              </select>
              {!choices.length && <span className="help">No {kind === "smtp" ? "email (SMTP)" : "Slack"} connection yet: add one on the Connections page.</span>}
            </label>
          );
        }
        return (
          <label key={key} className="field">
            <span className="field-label">{label}</span>
            <input type="text" aria-label={label} value={typeof value === "string" ? value : ""} disabled={!canEdit || offKey}
              onChange={(e) => set(key, e.target.value)} />
            {field.description && <span className="help">{field.description}</span>}
          </label>
        );
      })}
      {canEdit && <button type="submit" className="btn btn-primary" disabled={busy || !Object.keys(changes).length}>Save alerts</button>}
      {error && <div className="notice notice-error">{error}</div>}
    </form>
  );
}
