/** Sign in, and choose a new password when the account asks for one (first start). */
import { useState, type FormEvent } from "react";
import { ApiError, api } from "../api/client";
import { setSession, useSession } from "../api/session";

export function LoginPage() {
  const session = useSession();
  const mustChange = session.status === "signed-in" && !!session.user?.must_change_password;
  return (
    <main className="login-page">
      <div className="login-card">
        <h1><span className="brand-mark">◆</span> Flowlane</h1>
        {mustChange ? <ChangePassword /> : <SignIn />}
      </div>
    </main>
  );
}

function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const me = await api.login(email, password);
      setSession({ status: "signed-in", user: me.user, csrf: me.csrf_token });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "The server could not be reached.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Sign in">
      <label>Email<input type="email" name="email" autoComplete="username" required value={email}
        onChange={(e) => setEmail(e.target.value)} autoFocus /></label>
      <label>Password<input type="password" name="password" autoComplete="current-password"
        required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <button className="primary" type="submit" disabled={busy}>Sign in</button>
    </form>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [error, setError] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError("");
    try {
      const me = await api.changePassword(current, next);
      setSession({ status: "signed-in", user: me.user, csrf: me.csrf_token });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "The server could not be reached.");
    }
  };
  return (
    <form onSubmit={submit} aria-label="Choose a new password">
      <p>Choose your own password before you start (at least 10 characters).</p>
      <label>Current password<input type="password" name="current" autoComplete="current-password"
        required value={current} onChange={(e) => setCurrent(e.target.value)} autoFocus /></label>
      <label>New password<input type="password" name="new" autoComplete="new-password" required
        minLength={10} value={next} onChange={(e) => setNext(e.target.value)} /></label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <button className="primary" type="submit">Save and continue</button>
    </form>
  );
}
