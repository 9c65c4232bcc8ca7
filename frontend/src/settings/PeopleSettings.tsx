/** People (admins): everyone who can sign in, add one with a role, change roles, remove. */
import { useEffect, useState } from "react";
import { ROLES, adminApi, type Person } from "../api/admin";
import { getSession } from "../api/session";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { toast } from "../components/toast";
import { when } from "../lib/format";

export function PeopleSettings() {
  const [people, setPeople] = useState<Person[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Person | null>(null);
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const me = getSession().user;
  const roles = ROLES.filter((r) => r !== "owner" || me?.role === "owner");

  const load = () => adminApi.users().then(setPeople, (err: Error) => toast(`Could not load people: ${err.message}`, "error"));
  useEffect(() => void load(), []);

  const change = async (person: Person, body: { role?: string; disabled?: boolean }, done: string) => {
    try {
      const updated = await adminApi.updateUser(person.id, body);
      setPeople((list) => list?.map((p) => (p.id === person.id ? updated : p)) ?? null);
      toast(done, "success");
    } catch (err) {
      toast(`Not changed: ${(err as Error).message}`, "error");
      void load();
    }
  };

  const remove = async (person: Person) => {
    try {
      await adminApi.deleteUser(person.id);
      toast(`Removed ${person.email}`, "success");
      void load();
    } catch (err) {
      toast(`Not removed: ${(err as Error).message}`, "error");
    }
  };

  return (
    <section data-testid="people-settings">
      <div className="section-head">
        <p className="help">Viewers read; editors also build and run workflows; admins also manage connections, people and
          settings; owners everything, including making owners.</p>
        <button className="btn btn-primary" onClick={() => setAdding(true)}>Add person</button>
      </div>
      {people === null ? <p className="muted">Loading…</p> : (
        <table className="table" data-testid="people-table">
          <thead><tr><th>Email</th><th>Name</th><th>Role</th><th>Last sign-in</th><th aria-label="Actions" /></tr></thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id} data-testid="person-row" data-email={p.email}>
                <td>{p.email}{p.id === me?.id && <span className="tag">you</span>}{p.disabled && <span className="tag">disabled</span>}</td>
                <td>{p.name}</td>
                <td>
                  <select aria-label={`Role of ${p.email}`} value={p.role}
                    disabled={p.role === "owner" && me?.role !== "owner"}
                    onChange={(e) => void change(p, { role: e.target.value }, `${p.email} is now ${e.target.value}`)}>
                    {(p.role === "owner" ? ROLES : roles).map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                </td>
                <td className="muted">{p.last_login_at ? when(p.last_login_at) : p.must_change_password ? "not yet (password to change)" : "never"}</td>
                <td className="row-actions">
                  {p.id !== me?.id && <>
                    <button className="btn btn-small" onClick={() => void change(p, { disabled: !p.disabled },
                      `${p.email} ${p.disabled ? "can sign in again" : "is disabled"}`)}>{p.disabled ? "Enable" : "Disable"}</button>
                    <button className="btn btn-small btn-danger-ghost" onClick={() => setRemoving(p)}>Remove</button>
                  </>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {adding && <AddPersonDialog roles={roles} onClose={() => setAdding(false)}
        onAdded={(email, password) => { void load(); if (password) setCreated({ email, password }); else toast(`Added ${email}`, "success"); }} />}
      {created && (
        <Dialog title="Person added" onClose={() => setCreated(null)} testId="generated-password"
          footer={<button className="btn btn-primary" onClick={() => setCreated(null)}>Done</button>}>
          <p>Give <strong>{created.email}</strong> this password. It is shown only now; they choose their own when they first sign in.</p>
          <p><code className="secret" data-testid="password-value">{created.password}</code></p>
        </Dialog>
      )}
      {removing && (
        <ConfirmDialog title="Remove person" danger confirm="Remove"
          text={<>Remove <strong>{removing.email}</strong>? They are signed out and their API tokens stop working.</>}
          onConfirm={() => void remove(removing)} onClose={() => setRemoving(null)} />
      )}
    </section>
  );
}

function AddPersonDialog({ roles, onClose, onAdded }: {
  roles: string[];
  onClose: () => void;
  onAdded: (email: string, generated: string | null) => void;
}) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState("editor");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async () => {
    setBusy(true);
    try {
      const answer = await adminApi.createUser({ email: email.trim(), role, name: name.trim(), ...(password ? { password } : {}) });
      onClose();
      onAdded(answer.user.email, answer.generated_password);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Add person" onClose={onClose} testId="add-person"
      footer={<><button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy || !email.trim()} onClick={() => void add()}>Add</button></>}>
      <form onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <label className="field"><span className="field-label">Email</span>
          <input type="email" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} aria-label="Email" /></label>
        <label className="field"><span className="field-label">Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Name" /></label>
        <label className="field"><span className="field-label">Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value)} aria-label="Role">
            {roles.map((r) => <option key={r} value={r}>{r}</option>)}
          </select></label>
        <label className="field"><span className="field-label">Password</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} aria-label="Password" autoComplete="new-password" />
          <span className="help">Leave empty to generate one; it is shown once and must be changed at first sign-in.</span></label>
        {error && <div className="notice notice-error">{error}</div>}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
