/** Filters for the grid: column, operator, value; applied together with "Apply" (or Enter). */
import { useEffect, useState } from "react";
import type { Table } from "../api/tables";
import { SYSTEM_FIELDS, needsValue, operatorsFor, type Filter, type GridView } from "./view";

function typeOf(table: Table, column: string) {
  return table.columns.find((c) => c.name === column)?.type ?? "system";
}

export function FilterBar({ table, view, onApply }: {
  table: Table;
  view: GridView;
  onApply: (filters: Filter[], match: "all" | "any") => void;
}) {
  const [draft, setDraft] = useState<Filter[]>(view.filters);
  const [match, setMatch] = useState(view.match);
  const shown = JSON.stringify(view.filters);
  useEffect(() => {
    setDraft(JSON.parse(shown) as Filter[]);
  }, [shown]);
  useEffect(() => setMatch(view.match), [view.match]);

  const fields = [...table.columns.map((c) => c.name), ...SYSTEM_FIELDS];
  const change = (index: number, patch: Partial<Filter>) =>
    setDraft((list) => list.map((f, i) => {
      if (i !== index) return f;
      const next = { ...f, ...patch };
      // A column of another type may not take the operator: fall back to its first.
      const ops = operatorsFor(typeOf(table, next.column));
      if (!ops.some((o) => o.op === next.op)) next.op = ops[0]?.op ?? "eq";
      return next;
    }));
  const add = () => setDraft((list) => [...list, { column: table.columns[0]?.name ?? "id", op: "eq", value: "" }]);
  const apply = () => onApply(draft, match);

  return (
    <div className="filter-bar" data-testid="filter-bar">
      {draft.length === 0 && <span className="muted">No filters: every row is shown.</span>}
      {draft.map((filter, index) => (
        <div className="filter-row" key={index} data-testid="filter-row">
          <span className="filter-word">{index === 0 ? "Where" : match === "any" ? "or" : "and"}</span>
          <select aria-label="Filter column" value={filter.column} onChange={(e) => change(index, { column: e.target.value })}>
            {fields.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
          <select aria-label="Filter operator" value={filter.op} onChange={(e) => change(index, { op: e.target.value })}>
            {operatorsFor(typeOf(table, filter.column)).map((o) => <option key={o.op} value={o.op}>{o.label}</option>)}
          </select>
          {needsValue(filter.op) && (
            <input aria-label="Filter value" value={filter.value} placeholder={filter.op === "in" ? "a, b, c" : "value"}
              onChange={(e) => change(index, { value: e.target.value })}
              onKeyDown={(e) => e.key === "Enter" && apply()} />
          )}
          <button type="button" className="icon-btn" aria-label="Remove filter"
            onClick={() => setDraft((list) => list.filter((_, i) => i !== index))}>×</button>
        </div>
      ))}
      <div className="filter-actions">
        <button type="button" className="btn btn-small" onClick={add}>+ Add filter</button>
        {draft.length > 1 && (
          <select aria-label="Match" value={match} onChange={(e) => setMatch(e.target.value as "all" | "any")} className="match-select">
            <option value="all">Match all</option>
            <option value="any">Match any</option>
          </select>
        )}
        <span className="spacer" />
        {view.filters.length > 0 && (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => onApply([], "all")}>Clear</button>
        )}
        <button type="button" className="btn btn-small btn-primary" onClick={apply}>Apply</button>
      </div>
    </div>
  );
}
