/** The pipeline dashboard: funnel, value by owner, won and lost by month, forecast; filters in
 *  the URL (/dashboards?pipeline=...&owner=...), Refresh, and read-only published links. */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { dashboardsApi, type DashboardFilters, type PipelineDashboard, type PublishedLink } from "../api/dashboards";
import { atLeast } from "../api/session";
import { tablesApi, type Table } from "../api/tables";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { Link } from "../components/Link";
import { toast } from "../components/toast";
import { BarList, ColumnChart, Funnel } from "../dashboards/charts";
import { DEFAULT_TABLE, dashboardUrl, parseDashboardFilters } from "../dashboards/filters";
import { navigate, useLocation } from "../router";
import "../dashboards/dashboards.css";

function deals(count: number): string {
  return `${count} deal${count === 1 ? "" : "s"}`;
}

function moneyFormat(currency: string): (n: number) => string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 0 });
  } catch {
    format = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  }
  return (n) => format.format(n);
}

export function DashboardsPage() {
  const location = useLocation();
  const filters = parseDashboardFilters(location.split("?")[1] ?? "");
  const key = dashboardUrl(filters);
  const [data, setData] = useState<PipelineDashboard | null>(null);
  const [problem, setProblem] = useState<{ status: number; detail: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const [tables, setTables] = useState<Table[]>([]);
  const [publishing, setPublishing] = useState(false);
  const [links, setLinks] = useState<PublishedLink[] | null>(null);
  const canEdit = atLeast("editor");
  const shown = useRef(key);
  shown.current = key;

  const load = useCallback(async (forKey: string) => {
    setLoading(true);
    try {
      const answer = await dashboardsApi.pipeline(parseDashboardFilters(forKey.split("?")[1] ?? ""));
      if (shown.current !== forKey) return;
      setData(answer);
      setProblem(null);
    } catch (err) {
      if (shown.current !== forKey) return;
      setData(null);
      setProblem({ status: err instanceof ApiError ? err.status : 0, detail: (err as Error).message });
    } finally {
      if (shown.current === forKey) setLoading(false);
    }
  }, []);
  const loadLinks = useCallback(() => {
    dashboardsApi.published().then(setLinks, (err: Error) => toast(`Could not load published links: ${err.message}`, "error"));
  }, []);

  useEffect(() => void load(key), [key, load]);
  useEffect(() => {
    tablesApi.list().then(setTables, () => undefined);
    loadLinks();
  }, [loadLinks]);

  const change = (patch: Partial<DashboardFilters>) => navigate(dashboardUrl({ ...filters, ...patch }));
  const currency = tables.find((t) => t.name === filters.table)?.columns.find((c) => c.name === "value")?.options?.currency ?? "USD";
  const money = moneyFormat(currency);
  const choices = data?.choices ?? { pipelines: [], owners: [] };
  const revoke = async (link: PublishedLink) => {
    try {
      await dashboardsApi.revoke(link.id);
      toast(`"${link.title}" is no longer published`, "success");
      loadLinks();
    } catch (err) {
      toast(`Could not revoke: ${(err as Error).message}`, "error");
    }
  };

  return (
    <main className="page dashboards-page" data-testid="dashboards-page">
      <div className="page-head">
        <h1>Pipeline</h1>
        <div className="toolbar">
          <button className="btn" onClick={() => { void load(key); loadLinks(); }} disabled={loading} data-testid="refresh">
            {loading ? "Refreshing…" : "Refresh"}
          </button>
          {canEdit && (
            <button className="btn btn-primary" disabled={!data} onClick={() => setPublishing(true)}>Publish</button>
          )}
        </div>
      </div>
      <div className="dashboard-filters" data-testid="dashboard-filters">
        <label>Table
          <select aria-label="Table" value={filters.table} onChange={(e) => change({ table: e.target.value, pipeline: "", owner: "" })}>
            {!tables.some((t) => t.name === filters.table) && <option value={filters.table}>{filters.table}</option>}
            {tables.map((t) => <option key={t.id} value={t.name}>{t.name}</option>)}
          </select>
        </label>
        <FilterSelect label="Pipeline" all="All pipelines" value={filters.pipeline} options={choices.pipelines}
          names={data?.names?.pipelines} onChange={(pipeline) => change({ pipeline })} />
        <FilterSelect label="Owner" all="All owners" value={filters.owner} options={choices.owners}
          names={data?.names?.owners} onChange={(owner) => change({ owner })} />
        {(filters.pipeline || filters.owner) && (
          <button className="btn btn-ghost" onClick={() => change({ pipeline: "", owner: "" })}>Clear filters</button>
        )}
        <span className="spacer" />
        {data && <span className="muted small">Computed {new Date(data.generated_at).toLocaleTimeString()}</span>}
      </div>
      {problem && (
        <div className="empty" data-testid="dashboard-problem">
          <p>{problem.detail}</p>
          {problem.status === 404 && filters.table === DEFAULT_TABLE && (
            <p>The dashboard reads the Opportunities data table. <Link href="/data">Create it on the Data page</Link>, then
              fill it from HighLevel with a workflow or a CSV import.</p>
          )}
        </div>
      )}
      {data && <Dashboard data={data} money={money} />}
      <section className="panel" data-testid="published-links">
        <h2>Published links</h2>
        <p className="muted small">A published link shows a snapshot of the dashboard as it was, read-only, to anyone who has
          the link. Revoke it to take it down.</p>
        {links === null ? <p className="muted">Loading…</p> : links.length === 0 ? <p className="muted">None yet.</p> : (
          <table className="table compact">
            <thead><tr><th>Title</th><th>Link</th><th>Published</th><th>Expires</th><th aria-label="Actions" /></tr></thead>
            <tbody>
              {links.map((link) => (
                <tr key={link.id} data-testid="published-link" data-title={link.title}>
                  <td>{link.title}{link.run_id && <> · <Link href={`/runs/${link.run_id}`}>run #{link.run_id}</Link></>}</td>
                  <td><a href={link.url} target="_blank" rel="noopener noreferrer" className="mono">{link.url}</a></td>
                  <td className="muted nowrap">{new Date(link.created_at).toLocaleString()}</td>
                  <td className="muted nowrap">{link.expires_at ? new Date(link.expires_at).toLocaleDateString() : "never"}</td>
                  <td className="row-actions">{canEdit && <RevokeButton link={link} onRevoke={revoke} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {publishing && (
        <PublishDialog filters={filters} onClose={() => setPublishing(false)} onPublished={loadLinks} />
      )}
    </main>
  );
}

function FilterSelect({ label, all, value, options, names = {}, onChange }: {
  label: string; all: string; value: string; options: string[]; names?: Record<string, string>;
  onChange: (value: string) => void;
}) {
  return (
    <label>{label}
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {value && !options.includes(value) && <option value={value}>{names[value] ?? value}</option>}
        {options.map((o) => <option key={o} value={o}>{names[o] ?? o}</option>)}
      </select>
    </label>
  );
}

function Dashboard({ data, money }: { data: PipelineDashboard; money: (n: number) => string }) {
  const t = data.totals;
  const closed = t.won_count + t.lost_count;
  return (
    <>
      <div className="cards" data-testid="dashboard-totals">
        <Card label="Open deals" value={t.open_count.toLocaleString()} name="open_count" />
        <Card label="Open value" value={money(t.open_value)} name="open_value" />
        <Card label="Forecast" value={money(t.weighted_forecast)} name="weighted_forecast"
          hint="Won value plus each open deal's value times its probability (50 % when not set)" />
        <Card label="Won" value={money(t.won_value)} sub={deals(t.won_count)} name="won_value" />
        <Card label="Lost" value={money(t.lost_value)} sub={deals(t.lost_count)} name="lost_value" />
        <Card label="Win rate" value={closed ? `${Math.round((100 * t.won_count) / closed)} %` : "–"} name="win_rate" />
      </div>
      <div className="dashboard-grid">
        <section className="panel">
          <h2>Funnel by stage</h2>
          <div className="funnel-head muted small"><span>Stage</span><span>Open deals</span><span>Value</span><span>Weighted</span></div>
          <Funnel stages={data.funnel} format={money} />
        </section>
        <section className="panel">
          <h2>Open value by owner</h2>
          <BarList rows={data.by_owner} label={(o) => data.names?.owners[o.owner] ?? o.owner} value={(o) => o.value} format={money} testId="owner-bar"
            extra={(o) => deals(o.count)} />
        </section>
        <section className="panel">
          <h2>Won and lost by month</h2>
          <ColumnChart testId="won-lost-chart" format={money} categories={data.won_lost.map((m) => m.month)} series={[
            { name: "Won", className: "won", values: data.won_lost.map((m) => m.won_value) },
            { name: "Lost", className: "lost", values: data.won_lost.map((m) => m.lost_value) },
          ]} />
        </section>
        <section className="panel">
          <h2>Forecast by expected close month</h2>
          <ColumnChart testId="forecast-chart" format={money} categories={data.forecast_by_month.map((m) => m.month)} series={[
            { name: "Open value", className: "open", values: data.forecast_by_month.map((m) => m.value) },
            { name: "Weighted", className: "weighted", values: data.forecast_by_month.map((m) => m.weighted) },
          ]} />
        </section>
      </div>
    </>
  );
}

function Card({ label, value, sub, hint, name }: { label: string; value: string; sub?: string; hint?: string; name: string }) {
  return (
    <div className="card" title={hint} data-testid="total" data-name={name}>
      <span className="muted small">{label}</span>
      <strong>{value}</strong>
      {sub && <span className="muted small">{sub}</span>}
    </div>
  );
}

function RevokeButton({ link, onRevoke }: { link: PublishedLink; onRevoke: (link: PublishedLink) => void }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button className="btn btn-small btn-danger-ghost" onClick={() => setAsking(true)}>Revoke</button>
      {asking && (
        <ConfirmDialog title="Revoke link" danger confirm="Revoke" onClose={() => setAsking(false)} onConfirm={() => onRevoke(link)}
          text={<>Take <strong>{link.title}</strong> down? Anyone opening the link will get "not found".</>} />
      )}
    </>
  );
}

function PublishDialog({ filters, onClose, onPublished }: {
  filters: DashboardFilters; onClose: () => void; onPublished: () => void;
}) {
  const scope = [filters.pipeline && `pipeline ${filters.pipeline}`, filters.owner && `owner ${filters.owner}`].filter(Boolean).join(", ");
  const [title, setTitle] = useState(scope ? `Pipeline (${scope})` : "Pipeline");
  const [days, setDays] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<PublishedLink | null>(null);

  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      setLink(await dashboardsApi.publish(filters, title.trim() || "Pipeline", days ? Number(days) : null));
      onPublished();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const copy = () => {
    if (!link) return;
    navigator.clipboard?.writeText(link.url).then(() => toast("Link copied", "success"), () => undefined);
  };

  return (
    <Dialog title="Publish dashboard" onClose={onClose} testId="publish-dialog"
      footer={link ? <button className="btn btn-primary" onClick={onClose}>Done</button> : <>
        <button className="btn" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy} onClick={() => void publish()}>Publish</button></>}>
      {link ? (
        <>
          <p>Anyone with this link can see a read-only snapshot of the dashboard as it is now{scope ? ` (${scope})` : ""}:</p>
          <div className="row">
            <input readOnly value={link.url} aria-label="Published link" onFocus={(e) => e.target.select()} data-testid="published-url" />
            <button className="btn" onClick={copy}>Copy</button>
            <a className="btn" href={link.url} target="_blank" rel="noopener noreferrer">Open</a>
          </div>
        </>
      ) : (
        <>
          <p className="muted">A snapshot of the dashboard{scope ? ` for ${scope}` : ""}, as it is now, behind a read-only link that needs no sign-in.</p>
          <label className="field">
            <span className="field-label">Title</span>
            <input autoFocus value={title} onChange={(e) => setTitle(e.target.value)} aria-label="Title" maxLength={300} />
          </label>
          <label className="field">
            <span className="field-label">Expires after (days)</span>
            <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)}
              aria-label="Expires after days" placeholder="never" />
          </label>
          {error && <p className="error-text" role="alert">{error}</p>}
        </>
      )}
    </Dialog>
  );
}
