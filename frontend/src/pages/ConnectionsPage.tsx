/** Connections (credentials): list, create, edit, delete. Secrets come back masked, never shown. */
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { atLeast } from "../api/session";
import type { ConnectionTest, Credential } from "../api/types";
import { CredentialDialog } from "../components/CredentialDialog";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { toast } from "../components/toast";
import { useCatalog } from "../store/catalog";
import { catalogStore } from "../store/catalog";

export function ConnectionsPage() {
  const kinds = useCatalog((s) => s.kinds);
  const [credentials, setCredentials] = useState<Credential[] | null>(null);
  const [editing, setEditing] = useState<Credential | "new" | null>(null);
  const [deleting, setDeleting] = useState<Credential | null>(null);
  const [tested, setTested] = useState<{ credential: Credential; result: ConnectionTest | null; error?: string } | null>(null);

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
  const familyOf = (id: string) => kinds.find((k) => k.id === id)?.family ?? "";
  const test = async (credential: Credential) => {
    setTested({ credential, result: null });
    try {
      setTested({ credential, result: await api.testConnection(credential.id) });
    } catch (err) {
      setTested({ credential, result: null, error: (err as Error).message });
    }
  };

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
                    {c.kind === "ghl_oauth" && (
                      <a className="btn btn-small btn-primary" href={api.authorizeUrl(c.id)} target="_blank" rel="noopener"
                        title="Authorise a HighLevel location for this app">Connect</a>
                    )}
                    {familyOf(c.kind) === "ghl" && (
                      <button className="btn btn-small" onClick={() => void test(c)}>Test connection</button>
                    )}
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
      {tested && (
        <Dialog title={`Test: ${tested.credential.name}`} onClose={() => setTested(null)} testId="connection-test">
          {!tested.result && !tested.error && <p className="muted">Asking HighLevel…</p>}
          {tested.error && <p className="error-text">{tested.error}</p>}
          {tested.result && (
            <dl className="test-result">
              <dt>Result</dt>
              <dd><span className={`badge badge-${tested.result.ok ? "succeeded" : "failed"}`}>{tested.result.ok ? "works" : "failed"}</span> {tested.result.message}</dd>
              {tested.result.location && <><dt>Location</dt><dd>{tested.result.location.name ?? ""} <code>{tested.result.location.id}</code></dd></>}
              {tested.result.scopes && (
                <>
                  <dt>Scopes the workflows need</dt>
                  <dd>{tested.result.scopes.needed.length ? tested.result.scopes.needed.join(", ") : "none yet"}</dd>
                  <dt>Missing</dt>
                  <dd>{tested.result.scopes.missing === null ? "unknown (the token does not list its scopes)"
                    : tested.result.scopes.missing.length ? <span className="error-text">{tested.result.scopes.missing.join(", ")}</span> : "none"}</dd>
                </>
              )}
            </dl>
          )}
        </Dialog>
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
