/** The n8n import report: what mapped, how many expressions were translated, what needs a
 *  person (with the node and why), and the connections to set up; then open the workflow. */
import { Dialog } from "../components/Dialog";
import { Link } from "../components/Link";
import { navigate } from "../router";
import { closeReport, useImportReport } from "./importReport";
import "./workflows.css";

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function ImportReportHost() {
  const shown = useImportReport();
  if (!shown) return null;
  const { report, workflow } = shown;
  const s = report.summary;
  const open = () => {
    closeReport();
    if (workflow) navigate(`/workflows/${workflow.id}`);
  };
  return (
    <Dialog title={workflow ? `Imported from n8n: ${workflow.name}` : "n8n import: nothing was saved"} wide
      onClose={closeReport} testId="import-report"
      footer={<>
        <button className="btn" onClick={closeReport}>Close</button>
        {workflow && <button className="btn btn-primary" onClick={open}>Open workflow</button>}
      </>}>
      {!workflow && (
        <div className="notice notice-error">
          <p>{shown.problem}</p>
          {!!shown.errors?.length && <ul>{shown.errors.map((e, i) => <li key={i}>{e.message}</li>)}</ul>}
        </div>
      )}
      <ul className="report-summary" data-testid="report-summary">
        <li><strong>{s.mapped}</strong> of {plural(s.nodes, "node")} mapped</li>
        <li><strong>{s.expressions_translated}</strong> {s.expressions_translated === 1 ? "expression" : "expressions"} translated
          {s.expressions_untranslated > 0 && <>, {s.expressions_untranslated} kept as they were</>}</li>
        <li className={report.attention.length ? "report-warn" : ""}><strong>{report.attention.length}</strong> {report.attention.length === 1 ? "item needs" : "items need"} attention</li>
        <li><strong>{s.credentials_to_connect}</strong> {s.credentials_to_connect === 1 ? "connection" : "connections"} to set up</li>
      </ul>

      {report.attention.length > 0 && (
        <section className="report-section">
          <h3>Needs attention</h3>
          <ul className="report-list" data-testid="report-attention">
            {report.attention.map((a, i) => (
              <li key={i}>{a.node && <strong>{a.node}: </strong>}{a.reason}</li>
            ))}
          </ul>
        </section>
      )}

      {report.credentials.length > 0 && (
        <section className="report-section">
          <h3>Connections to set up</h3>
          <ul className="report-list" data-testid="report-credentials">
            {report.credentials.map((c, i) => (
              <li key={i}>
                <strong>{c.name}</strong> <span className="muted">({c.n8n_type} → {c.kind ?? "no Flowlane equivalent yet"})</span>,
                used by {c.nodes.join(", ")}
              </li>
            ))}
          </ul>
          <p className="help">Create them on the <Link href="/connections" onClick={closeReport}>Connections</Link> page
            with the same names, and the steps pick them up.</p>
        </section>
      )}

      <details className="report-section">
        <summary>Nodes ({report.nodes.length})</summary>
        <table className="table report-nodes">
          <thead><tr><th>n8n node</th><th>n8n type</th><th>Flowlane node</th></tr></thead>
          <tbody>
            {report.nodes.map((n, i) => (
              <tr key={i} className={n.status === "needs_attention" ? "report-warn" : ""}>
                <td>{n.name}</td>
                <td className="mono small">{n.n8n_type} v{n.type_version}</td>
                <td className="mono small">{n.status === "note" ? "sticky note" : n.flowlane_type ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </Dialog>
  );
}
