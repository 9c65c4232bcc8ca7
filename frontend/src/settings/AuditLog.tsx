/** The audit log (admins): who did what to which workflow, run, connection or person. */
import { useCallback, useEffect, useState } from "react";
import { adminApi, type AuditEntry } from "../api/admin";
import { toast } from "../components/toast";
import { when } from "../lib/format";

const PAGE = 50;
const TARGETS = ["workflow", "run", "connection", "table", "dashboard", "user", "api_token", "settings"];

function details(entry: AuditEntry): string {
  if (!entry.detail) return "";
  return Object.entries(entry.detail)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}

export function AuditLog() {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [target, setTarget] = useState("");

  const load = useCallback(async (before?: number) => {
    try {
      const page = await adminApi.audit({ before, target_type: target, limit: PAGE });
      setEntries((list) => (before && list ? [...list, ...page] : page));
      setMore(page.length === PAGE);
    } catch (err) {
      toast(`Could not load the audit log: ${(err as Error).message}`, "error");
    }
  }, [target]);
  useEffect(() => void load(), [load]);

  return (
    <section data-testid="audit-log">
      <div className="section-head">
        <p className="help">Every change people made through the app, the API or the command line, newest first.</p>
        <select aria-label="Show entries about" value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">Everything</option>
          {TARGETS.map((t) => <option key={t} value={t}>{t === "settings" ? "settings" : `${t.replace("_", " ")}s`}</option>)}
        </select>
      </div>
      {entries === null ? <p className="muted">Loading…</p> : entries.length === 0 ? <p className="muted">Nothing recorded yet.</p> : (
        <table className="table audit-table">
          <thead><tr><th>When</th><th>Who</th><th>Action</th><th>What</th><th>Details</th><th>From</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td className="muted nowrap">{when(e.at)}</td>
                <td>{e.actor}</td>
                <td>{e.action.replace(/_/g, " ")}</td>
                <td className="nowrap">{e.target_type}{e.target_id !== null ? ` #${e.target_id}` : ""}</td>
                <td className="small audit-detail">{details(e)}</td>
                <td className="muted small">{e.ip ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && entries && <button className="btn" onClick={() => void load(entries[entries.length - 1].id)}>Load older</button>}
    </section>
  );
}
