/** Socket.IO: one connection for the page; rooms joined with "subscribe". */
import { io, type Socket } from "socket.io-client";
import type { Notification } from "./notifications";
import { getSession } from "./session";

export interface StepEvent {
  run_id: number;
  node_id: string;
  status: string;
  output_counts?: Record<string, number>;
  input_counts?: Record<string, number>;
  error?: string | null;
}
export interface RunEvent {
  id: number;
  workflow_id: number;
  status: string;
  error?: string | null;
}

let socket: Socket | null = null;
/** Who the connection was opened as: the server puts it in that person's rooms. */
let socketUser: number | null = null;
const rooms = new Set<string>();

function connection(): Socket {
  const user = getSession().user?.id ?? null;
  if (socket && socketUser !== user) {
    // Signed out, or someone else signed in: never keep receiving the previous person's events.
    socket.disconnect();
    socket = null;
    rooms.clear();
  }
  if (!socket) {
    socketUser = user;
    socket = io(); // long-polling first, upgraded to a WebSocket when the server offers one
    // Rooms are per connection: join them again after a reconnect.
    socket.on("connect", () => rooms.forEach((room) => socket?.emit("subscribe", { room })));
  }
  return socket;
}

/** Whether the live connection is up (events sent while it is down are missed). */
export function isConnected(): boolean {
  return connection().connected;
}

/** Join a room; the promise resolves once the server confirmed it. */
export function subscribe(room: string): Promise<void> {
  const s = connection();
  rooms.add(room);
  return new Promise((resolve) => {
    // Resolve on the server's answer, so events sent after it are certain to arrive.
    const join = () => s.timeout(3000).emit("subscribe", { room }, () => resolve());
    if (s.connected) join();
    else s.once("connect", join);
  });
}

export function unsubscribe(room: string): void {
  rooms.delete(room);
  socket?.emit("unsubscribe", { room });
}

type Handler<T> = (data: T) => void;

export function on(event: "step.started" | "step.finished", handler: Handler<StepEvent>): () => void;
export function on(event: "run.queued" | "run.started" | "run.waiting" | "run.finished", handler: Handler<RunEvent>): () => void;
export function on(event: "notification", handler: Handler<Notification>): () => void;
/** "connect" fires after every (re)connection: events missed meanwhile need a fresh read. */
export function on(event: "connect" | "disconnect", handler: () => void): () => void;
export function on(event: string, handler: Handler<never>): () => void {
  const s = connection();
  s.on(event, handler as (data: unknown) => void);
  return () => {
    s.off(event, handler as (data: unknown) => void);
  };
}
