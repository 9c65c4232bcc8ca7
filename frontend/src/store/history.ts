/** Undo and redo as a stack of snapshots: every edit pushes the state it replaces. */

export interface History<T> {
  past: T[];
  future: T[];
}

export const LIMIT = 200;

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [] };
}

/** Remember `current` before an edit; a new edit clears what could be redone. */
export function push<T>(history: History<T>, current: T): History<T> {
  const past = [...history.past, current];
  if (past.length > LIMIT) past.shift();
  return { past, future: [] };
}

export function undo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  if (!history.past.length) return null;
  const state = history.past[history.past.length - 1];
  return { history: { past: history.past.slice(0, -1), future: [current, ...history.future] }, state };
}

export function redo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  if (!history.future.length) return null;
  const [state, ...future] = history.future;
  return { history: { past: [...history.past, current], future }, state };
}
