/** The rows of one page as a grid: click a header to sort (shift-click adds a column), double-click
 *  a cell (or press Enter on it) to edit it in place; Enter or leaving the cell saves, Escape
 *  cancels. Only one page of rows is drawn, so big tables stay quick. */
import { memo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { ApiError } from "../api/client";
import { tablesApi, type Column, type Row, type Table } from "../api/tables";
import { CellInput } from "./CellInput";
import { formatCell, fromInput, toInput, type SortKey } from "./view";

interface Editing {
  rowId: number;
  column: string;
  text: string;
  error: string | null;
  saving: boolean;
}

/** A refusal's sentence for one column (422 lists each), else the detail. */
export function problemFor(err: unknown, column?: string): string {
  if (err instanceof ApiError) {
    const listed = (err.body.errors as { column?: string; message?: string }[] | undefined) ?? [];
    const mine = listed.find((p) => p.column === column) ?? listed[0];
    return mine?.message ?? err.message;
  }
  return (err as Error).message;
}

export function Grid({ table, rows, sort, canEdit, selected, fresh, onSort, onSelect, onSaved, onDelete }: {
  table: Table;
  rows: Row[];
  sort: SortKey[];
  canEdit: boolean;
  selected: Set<number>;
  /** Rows added here since the page loaded (shown first, marked). */
  fresh: Set<number>;
  onSort: (column: string, add: boolean) => void;
  onSelect: (ids: number[], on: boolean) => void;
  onSaved: (row: Row) => void;
  onDelete: (row: Row) => void;
}) {
  const [editing, setEditing] = useState<Editing | null>(null);
  /** The editor as last drawn: a blur from an editor that just closed saves nothing. */
  const current = useRef(editing);
  current.current = editing;
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));

  const start = (row: Row, column: Column) => {
    if (!canEdit || editing?.saving) return;
    setEditing({ rowId: row.id, column: column.name, text: toInput(column, row[column.name]), error: null, saving: false });
  };

  const save = async (row: Row, column: Column, text: string) => {
    const open = current.current;
    if (!open || open.saving || open.rowId !== row.id || open.column !== column.name) return;
    const parsed = fromInput(column, text);
    if ("error" in parsed) {
      setEditing((e) => e && { ...e, text, error: parsed.error });
      return;
    }
    if (text === toInput(column, row[column.name])) {
      setEditing(null);
      return;
    }
    current.current = { ...open, saving: true };
    setEditing((e) => e && { ...e, text, saving: true, error: null });
    try {
      const { changed: _changed, ...saved } = await tablesApi.updateRow(table.id, row.id, { [column.name]: parsed.value });
      onSaved(saved as Row);
      setEditing(null);
    } catch (err) {
      setEditing((e) => e && { ...e, saving: false, error: problemFor(err, column.name) });
    }
  };

  return (
    <div className="grid-scroll">
      <table className="table data-grid" data-testid="data-grid">
        <thead>
          <tr>
            {canEdit && (
              <th className="select-cell">
                <input type="checkbox" aria-label="Select all rows on this page" checked={allSelected}
                  onChange={(e) => onSelect(rows.map((r) => r.id), e.target.checked)} />
              </th>
            )}
            <SortHeader name="id" label="id" sort={sort} onSort={onSort} />
            {table.columns.map((c) => (
              <SortHeader key={c.name} name={c.name} label={c.name} type={c.type} sort={sort} onSort={onSort}
                disabled={c.type === "json"} />
            ))}
            {canEdit && <th aria-label="Actions" />}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <GridRow key={row.id} row={row} table={table} canEdit={canEdit} selected={selected.has(row.id)}
              fresh={fresh.has(row.id)} editing={editing?.rowId === row.id ? editing : null}
              onStart={start} onSave={save} onCancel={() => setEditing(null)}
              onText={(text) => setEditing((e) => e && { ...e, text, error: null })}
              onSelect={onSelect} onDelete={onDelete} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortHeader({ name, label, type, sort, onSort, disabled }: {
  name: string; label: string; type?: string; sort: SortKey[]; onSort: (column: string, add: boolean) => void; disabled?: boolean;
}) {
  const index = sort.findIndex((s) => s.column === name);
  const key = sort[index];
  const state = !key ? "none" : key.desc ? "descending" : "ascending";
  return (
    <th aria-sort={state} data-column={name} className={type ? `col-${type}` : undefined}>
      <button type="button" className="sort-button" disabled={disabled}
        title={disabled ? "JSON columns cannot be sorted" : "Sort (shift-click to add to the sort)"}
        onClick={(e: MouseEvent) => onSort(name, e.shiftKey)}>
        {label}
        {type && <span className="col-type">{type}</span>}
        {key && <span className="sort-mark" aria-hidden="true">{key.desc ? "▼" : "▲"}{sort.length > 1 ? index + 1 : ""}</span>}
      </button>
    </th>
  );
}

const GridRow = memo(function GridRow({ row, table, canEdit, selected, fresh, editing, onStart, onSave, onCancel, onText, onSelect, onDelete }: {
  row: Row; table: Table; canEdit: boolean; selected: boolean; fresh: boolean; editing: Editing | null;
  onStart: (row: Row, column: Column) => void;
  onSave: (row: Row, column: Column, text: string) => void;
  onCancel: () => void;
  onText: (text: string) => void;
  onSelect: (ids: number[], on: boolean) => void;
  onDelete: (row: Row) => void;
}) {
  return (
    <tr data-testid="data-row" data-row-id={row.id} className={`${selected ? "selected" : ""}${fresh ? " fresh" : ""}`}>
      {canEdit && (
        <td className="select-cell">
          <input type="checkbox" aria-label={`Select row ${row.id}`} checked={selected}
            onChange={(e) => onSelect([row.id], e.target.checked)} />
        </td>
      )}
      <td className="muted id-cell">{row.id}</td>
      {table.columns.map((column) => editing?.column === column.name ? (
        <EditCell key={column.name} row={row} column={column} editing={editing}
          onSave={onSave} onCancel={onCancel} onText={onText} />
      ) : (
        <ViewCell key={column.name} row={row} column={column} canEdit={canEdit} onStart={onStart} />
      ))}
      {canEdit && (
        <td className="row-actions">
          <button className="icon-btn" title="Delete this row" aria-label={`Delete row ${row.id}`} onClick={() => onDelete(row)}>🗑</button>
        </td>
      )}
    </tr>
  );
});

function ViewCell({ row, column, canEdit, onStart }: {
  row: Row; column: Column; canEdit: boolean; onStart: (row: Row, column: Column) => void;
}) {
  const text = formatCell(column, row[column.name]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === "F2") {
      e.preventDefault();
      onStart(row, column);
    }
  };
  return (
    <td className={`cell col-${column.type}${canEdit ? " editable" : ""}`} data-column={column.name} title={text}
      tabIndex={canEdit ? 0 : undefined} onDoubleClick={() => onStart(row, column)} onKeyDown={canEdit ? onKey : undefined}>
      {text}
    </td>
  );
}

function EditCell({ row, column, editing, onSave, onCancel, onText }: {
  row: Row; column: Column; editing: Editing;
  onSave: (row: Row, column: Column, text: string) => void;
  onCancel: () => void;
  onText: (text: string) => void;
}) {
  const onKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onCancel();
    } else if (e.key === "Enter" && !(column.type === "json" && e.shiftKey)) {
      e.preventDefault();
      onSave(row, column, editing.text);
    }
  };
  return (
    <td className={`cell editing col-${column.type}`} data-column={column.name} data-testid="cell-editor"
      onBlur={(e) => {
        // Leaving the cell saves (moving between parts of the same editor does not).
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onSave(row, column, editing.text);
      }}>
      <CellInput column={column} value={editing.text} autoFocus label={`${column.name} of row ${row.id}`}
        onChange={onText} onKeyDown={onKey} />
      {editing.error && <div className="cell-error" role="alert">{editing.error}</div>}
    </td>
  );
}
