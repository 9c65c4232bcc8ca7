/** Connections (credentials): list, create, edit, delete. Secrets come back masked, never shown. */
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { atLeast } from "../api/session";
import type { Credential } from "../api/types";
import { CredentialDialog } from "../components/CredentialDialog";
import { ConfirmDialog } from "../components/Dialog";
import { toast } from "../components/toast";
import { useCatalog } from "../store/catalog";
import { catalogStore } from "../store/catalog";

export function ConnectionsPage() {
  const kinds = useCatalog((s) => s.kinds);
  const [credentials, setCredentials] = useState<Credential[] | null>(null);
  const [editing, setEditing] = useState<Credential | "new" | null>(null);
  const [deleting, setDeleting] = useState<Credential | null>(null);

  const load = async () => {
    try {
      setCredentials(await api.listCredentials());
    } catch (err) {
      toast(`Could not load connections: ${(err as Error).message}`, "error");
    }
  };
  useEffect(() => {
    void catalogStore.getState().load();
    void load();
  }, []);

  const kindTitle = (id: string) => kinds.find((k) => k.id === id)?.title ?? id;
  const canManage = atLeast("admin");

  return (
    <main className="page" data-testid="connections-page">
      <div className="page-head">
        <h1>Connections</h1>
        <div className="toolbar">
          {canManage && <button className="btn btn-primary" disabled={!kinds.length} onClick={() => setEditing("new")}>New connection</button>}
        </div>
      </div>
      <p className="hint">Connections hold API keys and logins. Secret fields are stored encrypted and are never shown again.</p>
      {credentials === null ? <p className="muted">Loading…</p> : credentials.length === 0 ? (
        <div className="empty"><p>No connections yet.</p></div>
      ) : (
        <table className="table" data-testid="connection-table">
          <thead><tr><th>Name</th><th>Kind</th><th>Fields</th><th>Updated</th><th aria-label="Actions" /></tr></thead>
          <tbody>
            {credentials.map((c) => (
              <tr key={c.id} data-testid="connection-row">
                <td><strong>{c.name}</strong></td>
                <td>{kindTitle(c.kind)}</td>
                <td className="muted mono">
                  {Object.entries(c.data).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(" · ")}
                </td>
                <td className="muted">{new Date(c.updated_at).toLocaleString()}</td>
                <td className="row-actions">
                  {canManage && <>
                    <button className="btn btn-small" onClick={() => setEditing(c)}>Edit</button>
                    <button className="btn btn-small btn-danger-ghost" onClick={() => setDeleting(c)}>Delete</button>
                  </>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <CredentialDialog kinds={editing === "new" ? kinds : kinds.filter((k) => k.id === editing.kind)}
          existing={editing === "new" ? undefined : editing}
          onSaved={(c) => { toast(`Saved ${c.name}`, "success"); void load(); }}
          onClose={() => setEditing(null)} />
      )}
      {deleting && (
        <ConfirmDialog title="Delete connection" danger confirm="Delete"
          text={<>Delete <strong>{deleting.name}</strong>? Nodes that use it will fail until they get another connection.</>}
          onClose={() => setDeleting(null)}
          onConfirm={() => void api.deleteCredential(deleting.id).then(() => { toast(`Deleted ${deleting.name}`, "success"); void load(); },
            (err: Error) => toast(`Delete failed: ${err.message}`, "error"))} />
      )}
    </main>
  );
}
