/** The steps of a run in the order they ran: bars on the run's time axis, with attempts,
 *  loop iterations and durations. A click opens the step's node. */
import type { RunStep } from "../api/runs";
import { formatDuration, timeline } from "./model";

export function Timeline({ steps, selected, onSelect }: {
  steps: RunStep[]; selected: string | null; onSelect: (nodeId: string, stepId: number) => void;
}) {
  if (!steps.length) return <p className="muted small timeline-empty">No step has run yet.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {timeline(steps).map(({ step, left, width }) => (
        <li key={step.id} className={`timeline-row${selected === step.node_id ? " selected" : ""}`}
          data-testid="timeline-step" data-node-id={step.node_id} data-status={step.status}>
          <button type="button" className="timeline-name" onClick={() => onSelect(step.node_id, step.id)}
            title={step.error?.message ?? step.node_type}>
            <span className={`dot dot-${step.status}`} aria-hidden />
            {step.node_name}
            {step.iteration !== null && <span className="tag">loop {step.iteration + 1}</span>}
            {step.attempt > 1 && <span className="tag">attempt {step.attempt}</span>}
            {step.origin && step.origin !== "ran" && <span className="tag">{step.origin}</span>}
          </button>
          <span className="timeline-track" aria-hidden>
            <span className={`timeline-bar bar-${step.status}`} style={{ left: `${left}%`, width: `${width}%` }} />
          </span>
          <span className="timeline-duration muted">{step.status === "running" ? "running…" : formatDuration(step.duration_ms)}</span>
        </li>
      ))}
    </ol>
  );
}
