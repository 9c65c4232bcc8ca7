/** One component draws every node type: its ports come from the catalogue entry. */
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from "@xyflow/react";
import { memo, useEffect, useRef, useState } from "react";
import { useCatalog } from "../store/catalog";
import type { StepNode } from "../store/convert";
import { useEditor, useEditorApi } from "../store/editor";
import { inputPorts, labelled, outputPorts } from "../lib/ports";
import { iconFor } from "./icons";

const STATUS_GLYPH: Record<string, string> = {
  queued: "…", running: "⟳", succeeded: "✓", failed: "✕", waiting: "⏸", cancelled: "⊘",
};

function itemCount(counts: Record<string, number>): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return `${total} item${total === 1 ? "" : "s"}`;
}

export const FlowNode = memo(function FlowNode({ id, data, selected }: NodeProps<StepNode>) {
  const spec = useCatalog((c) => c.byType[data.type]);
  const run = useEditor((s) => s.runStatus[id]);
  const problems = useEditor((s) => s.problems.filter((p) => p.node_id === id).length);
  const warnings = useEditor((s) => s.warnings.filter((p) => p.node_id === id).length);
  const pinned = useEditor((s) => !!s.base.pinned?.[id]);
  const readOnly = useEditor((s) => s.readOnly);
  const store = useEditorApi();
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(data.name);
  const [renameError, setRenameError] = useState<string | null>(null);
  const inputs = inputPorts(spec);
  const outputs = outputPorts(spec, data);
  const updateInternals = useUpdateNodeInternals();
  const portKey = outputs.join("|");
  const drawnPorts = useRef(portKey);
  // Ports changed (a Switch rule added): React Flow must measure the handles again. Not on
  // mount: measuring every node of a big workflow twice costs a render per node.
  useEffect(() => {
    if (drawnPorts.current === portKey) return;
    drawnPorts.current = portKey;
    updateInternals(id);
  }, [portKey, id, updateInternals]);

  const commit = () => {
    const error = store.getState().rename(id, draft);
    if (error) {
      setRenameError(error);
      return;
    }
    setRenameError(null);
    setRenaming(false);
  };

  const rows = Math.max(inputs.length, outputs.length, 1);
  const classes = ["flow-node"];
  if (selected) classes.push("selected");
  if (data.disabled) classes.push("disabled");
  if (run) classes.push(`run-${run.status}`);
  if (problems) classes.push("has-problems");
  if (!spec) classes.push("unknown");

  return (
    <div className={classes.join(" ")} data-testid="flow-node" data-node-id={id} data-node-name={data.name} data-node-type={data.type}
      data-status={run?.status ?? ""} data-problems={problems} style={{ minHeight: 28 + rows * 22 }}>
      <div className="flow-node-icon" aria-hidden>{iconFor(spec?.icon, spec?.title ?? data.type)}</div>
      <div className="flow-node-body">
        {renaming ? (
          <input className="rename nodrag" autoFocus value={draft} aria-label="Node name"
            onChange={(e) => setDraft(e.target.value)} onBlur={commit} title={renameError ?? undefined}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === "Enter") commit();
              if (e.key === "Escape") { setRenaming(false); setDraft(data.name); setRenameError(null); }
            }} />
        ) : (
          <div className="flow-node-name" title={readOnly ? data.name : "Double-click to rename"}
            onDoubleClick={(e) => {
              if (readOnly) return;
              e.stopPropagation(); setDraft(data.name); setRenaming(true);
            }}>{data.name}</div>
        )}
        {renameError && <div className="rename-error">{renameError}</div>}
        <div className="flow-node-type">
          {spec?.title ?? `Unknown type ${data.type}`}{data.disabled ? " · disabled" : ""}
          {run?.counts && <span className="item-count" data-testid="item-count"> · {itemCount(run.counts)}</span>}
        </div>
      </div>
      <div className="flow-node-badges">
        {pinned && <span className="pin" title="Output pinned as test data">PIN</span>}
        {problems > 0 && <span className="problem-badge" title={`${problems} problem(s)`}>{problems}</span>}
        {!problems && warnings > 0 && <span className="warning-badge" title={`${warnings} warning(s)`}>!</span>}
        {run && <span className={`status-glyph status-${run.status}`} title={run.error ?? run.status}
          data-testid="node-status">{STATUS_GLYPH[run.status] ?? "•"}</span>}
      </div>
      <div className="ports ports-in">
        {inputs.map((port) => (
          <div className="port" key={port}>
            <Handle type="target" position={Position.Left} id={port} className="handle" />
            {labelled(inputs) && <span className="port-label">{port}</span>}
          </div>
        ))}
      </div>
      <div className="ports ports-out">
        {outputs.map((port) => (
          <div className={`port${port === "error" ? " port-error" : ""}`} key={port} data-port={port}>
            {labelled(outputs) && <span className="port-label">{port}{run?.counts?.[port] !== undefined ? ` · ${run.counts[port]}` : ""}</span>}
            <Handle type="source" position={Position.Right} id={port} className="handle" />
          </div>
        ))}
      </div>
    </div>
  );
});
