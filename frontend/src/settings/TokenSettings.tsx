/** My API tokens: for the API, Socket.IO and the command line. Shown once, revoked at will. */
import { useEffect, useState } from "react";
import { adminApi, type ApiToken } from "../api/admin";
import { ConfirmDialog } from "../components/Dialog";
import { toast } from "../components/toast";
import { when } from "../lib/format";

export function TokenSettings() {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () => adminApi.tokens().then(setTokens, (err: Error) => toast(`Could not load tokens: ${err.message}`, "error"));
  useEffect(() => void load(), []);

  const create = async () => {
    setBusy(true);
    try {
      const token = await adminApi.createToken(name.trim());
      setFresh({ name: token.name, token: token.token });
      setName("");
      void load();
    } catch (err) {
      toast(`No token made: ${(err as Error).message}`, "error");
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: ApiToken) => {
    try {
      await adminApi.revokeToken(token.id);
      toast(`Revoked ${token.name}`, "success");
      void load();
    } catch (err) {
      toast(`Not revoked: ${(err as Error).message}`, "error");
    }
  };

  const copy = (text: string) =>
    void navigator.clipboard?.writeText(text).then(() => toast("Copied", "success"), () => undefined);

  return (
    <section data-testid="token-settings">
      <p className="help">
        A token acts as you: send it as <code>Authorization: Bearer &lt;token&gt;</code> to the API, or use it with
        <code> flowlane --server URL --token TOKEN</code>. Flowlane keeps only a hash of it.
      </p>
      <form className="row token-form" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="What it is for, e.g. CI deploys"
          aria-label="Token name" maxLength={200} />
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>Create token</button>
      </form>
      {fresh && (
        <div className="notice token-fresh" data-testid="new-token">
          <p><strong>{fresh.name}</strong>: copy this token now, it is not shown again.</p>
          <div className="row">
            <code className="secret" data-testid="token-value">{fresh.token}</code>
            <button className="btn btn-small" onClick={() => copy(fresh.token)}>Copy</button>
            <button className="btn btn-small btn-ghost" onClick={() => setFresh(null)}>Done</button>
          </div>
        </div>
      )}
      {tokens === null ? <p className="muted">Loading…</p> : tokens.length === 0 ? <p className="muted">No tokens yet.</p> : (
        <table className="table" data-testid="token-table">
          <thead><tr><th>Name</th><th>Starts with</th><th>Created</th><th>Last used</th><th aria-label="Actions" /></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid="token-row" data-name={t.name}>
                <td>{t.name}{t.revoked_at && <span className="tag">revoked</span>}</td>
                <td className="mono">{t.prefix}…</td>
                <td className="muted">{when(t.created_at)}</td>
                <td className="muted">{t.last_used_at ? when(t.last_used_at) : "never"}</td>
                <td className="row-actions">
                  {!t.revoked_at && <button className="btn btn-small btn-danger-ghost" onClick={() => setRevoking(t)}>Revoke</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <ConfirmDialog title="Revoke token" danger confirm="Revoke"
          text={<>Revoke <strong>{revoking.name}</strong>? Anything that uses it stops working at once.</>}
          onConfirm={() => void revoke(revoking)} onClose={() => setRevoking(null)} />
      )}
    </section>
  );
}
