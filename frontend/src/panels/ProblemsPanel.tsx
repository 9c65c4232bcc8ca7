/** Validation problems: click one to select its node and reveal the field. */
import { useEditor, editorStore } from "../store/editor";
import { isStep } from "../store/convert";
import { problemFocus, problemNodeId } from "../lib/schema";
import type { Problem } from "../api/types";
import { viewport } from "../store/viewport";

export function ProblemsPanel({ onClose }: { onClose: () => void }) {
  const problems = useEditor((s) => s.problems);
  const warnings = useEditor((s) => s.warnings);
  const nodes = useEditor((s) => s.nodes);
  const steps = nodes.filter(isStep);
  const ids = steps.map((n) => n.id);
  const nameOf = (id: string | null) => steps.find((n) => n.id === id)?.data.name;
  const all = [...problems, ...warnings];

  const reveal = (problem: Problem) => {
    const id = problemNodeId(problem, ids);
    if (!id) return;
    const store = editorStore.getState();
    store.selectOnly([id]);
    store.openPanel(id, problemFocus(problem) || null);
    viewport()?.focusNode(id);
  };

  return (
    <section className="problems" data-testid="problems-panel" aria-label="Problems">
      <header>
        <strong>Problems</strong>
        <span className="muted">{problems.length} error{problems.length === 1 ? "" : "s"}, {warnings.length} warning{warnings.length === 1 ? "" : "s"}</span>
        <span className="spacer" />
        <button className="icon-btn" aria-label="Close problems" onClick={onClose}>×</button>
      </header>
      {all.length === 0 ? <p className="muted">No problems.</p> : (
        <ul>
          {all.map((p, i) => {
            const id = problemNodeId(p, ids);
            return (
              <li key={i}>
                <button className={`problem problem-${p.severity}`} onClick={() => reveal(p)} data-testid="problem" data-node-id={id ?? ""}>
                  <span className="problem-icon">{p.severity === "error" ? "✕" : "!"}</span>
                  {id && <span className="problem-node">{nameOf(id) ?? id}</span>}
                  <span>{p.message}</span>
                  {p.pointer && <code className="muted">{p.pointer}</code>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
