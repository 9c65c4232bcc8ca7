/** A sticky note: free text on the canvas, resizable, kept in the document's "notes". */
import { NodeResizer, type NodeProps } from "@xyflow/react";
import { memo, useState } from "react";
import type { NoteNode as NoteNodeType } from "../store/convert";
import { useEditor, useEditorApi } from "../store/editor";

export const NoteNode = memo(function NoteNode({ id, data, selected }: NodeProps<NoteNodeType>) {
  const store = useEditorApi();
  const readOnly = useEditor((s) => s.readOnly);
  const [editing, setEditing] = useState(!data.text && !readOnly);
  return (
    <div className={`note-node${selected ? " selected" : ""}`} data-testid="note-node"
      style={data.color ? { background: data.color } : undefined}
      onDoubleClick={() => !readOnly && setEditing(true)}>
      <NodeResizer isVisible={!!selected && !readOnly} minWidth={120} minHeight={60}
        onResizeStart={() => store.getState().checkpoint()} />
      {editing ? (
        <textarea className="nodrag nowheel" autoFocus={!data.text} value={data.text} placeholder="Write a note…"
          aria-label="Note text"
          onChange={(e) => store.getState().updateNote(id, e.target.value)}
          onBlur={() => setEditing(false)}
          onKeyDown={(e) => e.stopPropagation()} />
      ) : (
        <div className="note-text">{data.text || <span className="muted">Double-click to write</span>}</div>
      )}
    </div>
  );
});
