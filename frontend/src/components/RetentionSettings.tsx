/** Global run retention (GET/PUT /api/settings): how long finished runs are kept and how many
 *  at most. The scheduler's prune job enforces it; admins change it, everyone can read it. */
import { useEffect, useState } from "react";
import { runsApi, type RetentionSettings as Retention } from "../api/runs";
import { atLeast } from "../api/session";
import { toast } from "./toast";

export function RetentionSettings() {
  const [saved, setSaved] = useState<Retention | null>(null);
  const [days, setDays] = useState("");
  const [maxRuns, setMaxRuns] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canEdit = atLeast("admin");

  const show = (settings: Retention) => {
    setSaved(settings);
    setDays(String(settings.run_retention_days));
    setMaxRuns(String(settings.run_retention_max_runs));
  };

  useEffect(() => {
    runsApi.retention().then(show, (err: Error) => setError(err.message));
  }, []);

  const save = async () => {
    setBusy(true);
    try {
      show(await runsApi.saveRetention({ run_retention_days: Number(days), run_retention_max_runs: Number(maxRuns) }));
      setError(null);
      toast("Retention saved", "success");
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const changed = saved !== null && (days !== String(saved.run_retention_days) || maxRuns !== String(saved.run_retention_max_runs));
  return (
    <section className="retention-settings" data-testid="retention-settings">
      <p className="help">
        Finished runs older than this, or beyond the newest runs kept, are deleted by a scheduled job (runs still
        queued, running or waiting are never touched). What each workflow keeps of its own runs (all, failed only,
        none) is in its settings in the editor.
      </p>
      {saved === null && !error && <p className="muted">Loading…</p>}
      {saved !== null && (
        <form className="retention-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <label className="field">
            <span className="field-label">Keep finished runs for (days)</span>
            <input type="number" min={1} max={3650} required value={days} disabled={!canEdit}
              aria-label="Keep finished runs for (days)" onChange={(e) => setDays(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Keep at most (runs)</span>
            <input type="number" min={100} max={10000000} required value={maxRuns} disabled={!canEdit}
              aria-label="Keep at most (runs)" onChange={(e) => setMaxRuns(e.target.value)} />
          </label>
          {canEdit && (
            <button type="submit" className="btn btn-primary" disabled={busy || !changed}>Save retention</button>
          )}
        </form>
      )}
      {error && <div className="notice notice-error">{error}</div>}
    </section>
  );
}
