import { Dialog } from "../components/Dialog";

export const SHORTCUTS: [string, string][] = [
  ["Ctrl+S", "Save (a new version)"],
  ["Ctrl+Enter", "Test workflow"],
  ["Ctrl+Z", "Undo"],
  ["Ctrl+Shift+Z / Ctrl+Y", "Redo"],
  ["Ctrl+C / Ctrl+X / Ctrl+V", "Copy, cut, paste nodes (as workflow JSON)"],
  ["Ctrl+A", "Select every node"],
  ["Delete / Backspace", "Delete the selection"],
  ["Shift+drag", "Box-select"],
  ["Shift+click", "Add a node to the selection"],
  ["D", "Disable or enable the selected nodes"],
  ["F2", "Rename the selected node"],
  ["Shift+L", "Auto-layout"],
  ["Shift+1", "Fit the view"],
  ["+ / -", "Zoom in / out"],
  ["N", "Add a sticky note"],
  ["Escape", "Close the panel, clear the selection"],
  ["?", "This list"],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}><td><kbd>{keys}</kbd></td><td>{what}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="muted">On a Mac, Cmd works wherever Ctrl is listed.</p>
    </Dialog>
  );
}
