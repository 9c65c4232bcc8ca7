/** Retry a finished run as a new run: from the start or from the failed step (the steps that
 *  succeeded keep their output), on the version it ran or on the workflow's latest. */
import { useState } from "react";
import { runsApi, type RunDetail } from "../api/runs";
import { Dialog } from "../components/Dialog";
import { toast } from "../components/toast";
import { navigate } from "../router";

export function RetryDialog({ run, onClose }: { run: RunDetail; onClose: () => void }) {
  const canFromFailed = run.status !== "succeeded";
  const [from, setFrom] = useState<"start" | "failed">(canFromFailed ? "failed" : "start");
  const [version, setVersion] = useState<"original" | "latest">("original");
  const [busy, setBusy] = useState(false);
  const latest = run.latest_version;
  const retry = async () => {
    setBusy(true);
    try {
      const started = await runsApi.retry(run.id, from, version);
      toast(`Retrying as run #${started.run_id}`, "success");
      onClose();
      navigate(`/runs/${started.run_id}`);
    } catch (err) {
      toast(`Retry failed: ${(err as Error).message}`, "error");
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Retry run #${run.id}`} onClose={onClose} testId="retry-dialog"
      footer={<>
        <button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy} onClick={() => void retry()} data-testid="retry-start">Retry</button>
      </>}>
      <fieldset className="choice">
        <legend>Start</legend>
        <label className="radio">
          <input type="radio" name="from" checked={from === "failed"} disabled={!canFromFailed}
            onChange={() => setFrom("failed")} />
          <span>From the failed step<span className="help"> — steps that succeeded keep their output and do not run again</span></span>
        </label>
        <label className="radio">
          <input type="radio" name="from" checked={from === "start"} onChange={() => setFrom("start")} />
          <span>From the start<span className="help"> — with the same trigger data</span></span>
        </label>
      </fieldset>
      <fieldset className="choice">
        <legend>Version</legend>
        <label className="radio">
          <input type="radio" name="version" checked={version === "original"} onChange={() => setVersion("original")} />
          <span>The version this run used (v{run.version})</span>
        </label>
        <label className="radio">
          <input type="radio" name="version" checked={version === "latest"} disabled={latest === null}
            onChange={() => setVersion("latest")} />
          <span>The latest version{latest !== null ? ` (v${latest}${latest === run.version ? ", the same" : ""})` : ""}
            <span className="help"> — after you fixed the workflow</span></span>
        </label>
      </fieldset>
    </Dialog>
  );
}
