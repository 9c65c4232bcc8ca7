/** Who is signed in, and the CSRF token changes made with the session cookie must carry. */
import { useSyncExternalStore } from "react";

export interface User {
  id: number;
  email: string;
  name: string;
  role: "viewer" | "editor" | "admin" | "owner";
  must_change_password: boolean;
}

export interface SessionState {
  /** "unknown" until the first /api/auth/me answer. */
  status: "unknown" | "signed-out" | "signed-in";
  user: User | null;
  csrf: string;
}

let state: SessionState = { status: "unknown", user: null, csrf: "" };
const listeners = new Set<() => void>();

export function getSession(): SessionState {
  return state;
}

export function setSession(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  listeners.forEach((listener) => listener());
}

/** Any 401 from the API means the session is over: show the sign-in page. */
export function signedOut(): void {
  if (state.status !== "signed-out") setSession({ status: "signed-out", user: null, csrf: "" });
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (callback) => {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    () => state,
  );
}

const ROLE_RANK = { viewer: 0, editor: 1, admin: 2, owner: 3 } as const;

/** Whether the signed-in person's role is at least `role` (the UI hides what they cannot do). */
export function atLeast(role: User["role"]): boolean {
  return !!state.user && ROLE_RANK[state.user.role] >= ROLE_RANK[role];
}
