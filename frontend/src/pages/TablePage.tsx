/** One data table's rows: sort, filter and search (kept in the URL), a page of rows at a time,
 *  inline edits, add, delete, CSV import and export. Viewers see it read-only. */
import { useCallback, useEffect, useRef, useState } from "react";
import { atLeast } from "../api/session";
import { tablesApi, type Row, type RowPage, type Table } from "../api/tables";
import { ConfirmDialog } from "../components/Dialog";
import { Link } from "../components/Link";
import { toast } from "../components/toast";
import { ColumnsDialog } from "../data/ColumnsDialog";
import { FilterBar } from "../data/FilterBar";
import { Grid, problemFor } from "../data/Grid";
import { AddRowDialog, ImportDialog } from "../data/RowDialogs";
import { PAGE_SIZES, exportQuery, parseView, rowsQuery, toggleSort, viewUrl, type GridView } from "../data/view";
import { navigate, useLocation } from "../router";

type Deleting = { kind: "rows"; ids: number[] } | { kind: "table" };

export function TablePage({ id }: { id: number }) {
  const location = useLocation();
  const view = parseView(location.split("?")[1] ?? "");
  const key = viewUrl(id, view);
  const [table, setTable] = useState<Table | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [page, setPage] = useState<RowPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [fresh, setFresh] = useState<Row[]>([]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [showFilters, setShowFilters] = useState(view.filters.length > 0);
  const [dialog, setDialog] = useState<"add" | "import" | "columns" | null>(null);
  const [deleting, setDeleting] = useState<Deleting | null>(null);
  const canEdit = atLeast("editor");
  /** Answers for another view than the one shown now are dropped. */
  const shown = useRef(key);
  shown.current = key;

  useEffect(() => {
    tablesApi.get(id).then(setTable, (err: Error) => setMissing(err.message));
  }, [id]);

  const load = useCallback(async (forKey: string) => {
    setLoading(true);
    try {
      const answer = await tablesApi.rows(id, rowsQuery(parseView(forKey.split("?")[1] ?? "")));
      if (shown.current !== forKey) return;
      setPage(answer);
      setFresh([]);
    } catch (err) {
      if (shown.current === forKey) toast(`Could not load rows: ${(err as Error).message}`, "error");
    } finally {
      if (shown.current === forKey) setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    setSelected(new Set());
    void load(key);
  }, [key, load]);

  // Past the last page (rows were deleted, or an old link): show the last page instead.
  const lastPage = page ? Math.max(1, Math.ceil(page.total / view.size)) : 1;
  useEffect(() => {
    if (page && !page.rows.length && view.page > lastPage) navigate(viewUrl(id, { ...view, page: lastPage }), { replace: true });
  }, [page, lastPage, key]); // `view` follows `key`

  const go = (patch: Partial<GridView>, replace = false) =>
    navigate(viewUrl(id, { ...view, page: 1, ...patch }), { replace });

  const rows = [...fresh, ...(page?.rows.filter((r) => !fresh.some((f) => f.id === r.id)) ?? [])];
  const replaceRow = (row: Row) => {
    setFresh((list) => list.map((r) => (r.id === row.id ? row : r)));
    setPage((p) => p && { ...p, rows: p.rows.map((r) => (r.id === row.id ? row : r)) });
  };
  const select = (ids: number[], on: boolean) => setSelected((current) => {
    const next = new Set(current);
    ids.forEach((rowId) => (on ? next.add(rowId) : next.delete(rowId)));
    return next;
  });

  const remove = async (what: Deleting) => {
    try {
      if (what.kind === "table") {
        await tablesApi.remove(id);
        toast(`Deleted the table ${table?.name}`, "success");
        navigate("/data");
        return;
      }
      if (what.ids.length === 1) await tablesApi.deleteRow(id, what.ids[0]);
      else await tablesApi.deleteRows(id, what.ids);
      toast(what.ids.length === 1 ? `Deleted row ${what.ids[0]}` : `Deleted ${what.ids.length} rows`, "success");
      setFresh((list) => list.filter((r) => !what.ids.includes(r.id)));
      setSelected(new Set());
      await load(key);
    } catch (err) {
      toast(`Delete failed: ${problemFor(err)}`, "error");
    }
  };

  if (missing) {
    return (
      <main className="page">
        <h1>Not found</h1>
        <p>{missing} <Link href="/data">All tables</Link></p>
      </main>
    );
  }
  if (!table) return <main className="page"><p className="muted">Loading…</p></main>;

  const total = page?.total ?? 0;
  const pages = lastPage;
  const first = total ? (view.page - 1) * view.size + 1 : 0;
  const last = Math.min(total, view.page * view.size);

  return (
    <main className="page page-wide data-table-page" data-testid="table-page" data-table-id={id}>
      <div className="page-head">
        <h1><Link href="/data" className="muted">Data</Link> <span className="muted">/</span> {table.name}</h1>
        <div className="toolbar">
          {canEdit && selected.size > 0 && (
            <button className="btn btn-danger-ghost" onClick={() => setDeleting({ kind: "rows", ids: [...selected] })}
              data-testid="delete-selected">Delete {selected.size} selected</button>
          )}
          {canEdit && <button className="btn" onClick={() => setDialog("columns")} data-testid="edit-columns">Columns</button>}
          {canEdit && <button className="btn" onClick={() => setDialog("import")}>Import CSV</button>}
          <a className="btn" href={tablesApi.exportUrl(id, exportQuery(view))} download data-testid="export-csv">Export CSV</a>
          {canEdit && <button className="btn btn-primary" onClick={() => setDialog("add")}>Add row</button>}
        </div>
      </div>
      {table.description && <p className="hint">{table.description}</p>}
      <div className="grid-tools">
        <SearchBox value={view.q} onSearch={(q) => go({ q }, true)} />
        <button className="btn" aria-pressed={showFilters} onClick={() => setShowFilters((s) => !s)} data-testid="toggle-filters">
          Filter{view.filters.length ? ` (${view.filters.length})` : ""}
        </button>
        {view.sort.length > 0 && (
          <button className="btn btn-ghost" onClick={() => go({ sort: [] })}>Clear sort</button>
        )}
        <span className="spacer" />
        {!canEdit && <span className="tag" title="Your role can read tables, not change them">read-only</span>}
        {canEdit && (
          <button className="btn btn-ghost btn-danger-ghost" onClick={() => setDeleting({ kind: "table" })}>Delete table</button>
        )}
      </div>
      {showFilters && (
        <FilterBar table={table} view={view} onApply={(filters, match) => go({ filters, match })} />
      )}
      {page === null ? <p className="muted">Loading…</p> : rows.length === 0 ? (
        <div className="empty" data-testid="no-rows">
          {view.filters.length || view.q ? "No rows match." : canEdit ? "No rows yet: add one, or import a CSV file." : "No rows yet."}
        </div>
      ) : (
        <Grid table={table} rows={rows} sort={view.sort} canEdit={canEdit} selected={selected}
          fresh={new Set(fresh.map((r) => r.id))}
          onSort={(column, add) => go({ sort: toggleSort(view.sort, column, add) })}
          onSelect={select} onSaved={replaceRow} onDelete={(row) => setDeleting({ kind: "rows", ids: [row.id] })} />
      )}
      <div className="pager" data-testid="pager" aria-busy={loading}>
        <span data-testid="row-range">{total ? `Rows ${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()}` : "0 rows"}</span>
        <span className="spacer" />
        <label className="muted small">Rows per page{" "}
          <select value={view.size} aria-label="Rows per page" onChange={(e) => go({ size: Number(e.target.value) })}>
            {PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <button className="btn btn-small" disabled={view.page <= 1} onClick={() => go({ page: view.page - 1 })}>‹ Previous</button>
        <span className="muted small">Page {view.page} of {pages}</span>
        <button className="btn btn-small" disabled={view.page >= pages} onClick={() => go({ page: view.page + 1 })}>Next ›</button>
      </div>
      {dialog === "add" && (
        <AddRowDialog table={table} onClose={() => setDialog(null)}
          onAdded={(row) => {
            setDialog(null);
            setFresh((list) => [row, ...list]);
            setPage((p) => p && { ...p, total: p.total + 1 });
            toast(`Added row ${row.id}`, "success");
          }} />
      )}
      {dialog === "import" && (
        <ImportDialog table={table} onClose={() => setDialog(null)}
          onImported={(report) => {
            setDialog(null);
            toast(`Imported ${report.rows} rows: ${report.inserted} added, ${report.updated} updated, ${report.unchanged} unchanged`, "success");
            void load(key);
          }} />
      )}
      {dialog === "columns" && (
        <ColumnsDialog table={table} onClose={() => setDialog(null)}
          onSaved={(changed) => {
            setDialog(null);
            setTable(changed);
            toast(`Saved the columns of ${changed.name}`, "success");
            // Sorts and filters on columns that are gone (or renamed) are dropped.
            const names = new Set(["id", "created_at", "updated_at", ...changed.columns.map((c) => c.name)]);
            const sort = view.sort.filter((s) => names.has(s.column));
            const filters = view.filters.filter((f) => names.has(f.column));
            if (sort.length < view.sort.length || filters.length < view.filters.length) go({ sort, filters }, true);
            else void load(key);
          }} />
      )}
      {deleting && (
        <ConfirmDialog title={deleting.kind === "table" ? "Delete table" : "Delete rows"} danger confirm="Delete"
          text={deleting.kind === "table"
            ? <>Delete <strong>{table.name}</strong> and all its {table.row_count.toLocaleString()} rows? Workflows that use it will fail.</>
            : deleting.ids.length === 1 ? <>Delete row {deleting.ids[0]}? Workflows watching this table will hear of it.</>
              : <>Delete the {deleting.ids.length} selected rows?</>}
          onConfirm={() => void remove(deleting)} onClose={() => setDeleting(null)} />
      )}
    </main>
  );
}

/** Text anywhere in the text columns; typing settles for a moment before the rows follow. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const latest = useRef({ value, onSearch });
  latest.current = { value, onSearch };
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === latest.current.value) return undefined;
    const timer = window.setTimeout(() => latest.current.onSearch(text), 350);
    return () => window.clearTimeout(timer);
  }, [text]);
  return (
    <input type="search" className="search" placeholder="Search text columns" aria-label="Search rows"
      value={text} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === "Enter" && onSearch(text)} />
  );
}
