/** One input per column type: the inline cell editor and the "Add row" form both use it. */
import type { KeyboardEvent } from "react";
import type { Column } from "../api/tables";

export function CellInput({ column, value, onChange, onKeyDown, autoFocus, label }: {
  column: Column;
  value: string;
  onChange: (text: string) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLElement>) => void;
  autoFocus?: boolean;
  label: string;
}) {
  const common = { value, autoFocus, onKeyDown, "aria-label": label };
  const choices = column.options?.choices;
  if (column.type === "boolean" || (column.type === "text" && choices?.length)) {
    const options = column.type === "boolean" ? [["true", "Yes"], ["false", "No"]] : choices!.map((c) => [c, c]);
    return (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">(empty)</option>
        {!options.some(([v]) => v === value) && value && <option value={value}>{value}</option>}
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    );
  }
  if (column.type === "json") {
    return <textarea {...common} className="code" rows={4} onChange={(e) => onChange(e.target.value)} />;
  }
  const type = column.type === "date" ? (column.options?.time ? "datetime-local" : "date")
    : column.type === "number" || column.type === "reference" ? "number" : "text";
  return (
    <input {...common} type={type} step={type === "number" ? "any" : undefined}
      placeholder={column.type === "money" ? (column.options?.currency ?? "USD") : column.type === "reference" ? "row id" : undefined}
      onChange={(e) => onChange(e.target.value)} />
  );
}
