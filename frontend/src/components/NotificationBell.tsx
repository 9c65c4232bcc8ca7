/** The bell in the header: unread count, the latest notifications, and a toast when one
 *  arrives live (Socket.IO event `notification`, sent to everyone or to one person). */
import { useEffect, useRef, useState } from "react";
import { isConnected, on } from "../api/live";
import type { Notification } from "../api/notifications";
import { navigate } from "../router";
import { loadNotifications, markRead, received, useNotifications } from "../store/notifications";
import { toast } from "./toast";
import "./NotificationBell.css";

const TOAST_KIND = { info: "info", success: "success", warning: "info", error: "error" } as const;

export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** Keeps the bell live; true while the live connection is up. */
function useLiveNotifications(): boolean {
  const [live, setLive] = useState(false);
  useEffect(() => {
    const refresh = () => void loadNotifications().catch(() => undefined);
    const offs = [
      on("notification", (n) => {
        if (received(n)) toast(n.body ? `${n.title} — ${n.body}` : n.title, TOAST_KIND[n.level] ?? "info");
      }),
      on("connect", () => {
        setLive(true);
        refresh();
      }),
      on("disconnect", () => setLive(false)),
    ];
    refresh();
    setLive(isConnected());
    return () => offs.forEach((off) => off());
  }, []);
  return live;
}

export function NotificationBell() {
  const live = useLiveNotifications();
  const unread = useNotifications((s) => s.unread);
  const items = useNotifications((s) => s.items);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", outside);
    window.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("mousedown", outside);
      window.removeEventListener("keydown", escape);
    };
  }, [open]);

  const follow = (n: Notification) => {
    if (!n.read) void markRead([n.id]).catch(() => undefined);
    setOpen(false);
    if (!n.link) return;
    if (/^https?:\/\//.test(n.link)) window.open(n.link, "_blank", "noopener");
    else navigate(n.link);
  };

  return (
    <div className="bell" ref={box} data-live={live}>
      <button type="button" className="bell-button" aria-haspopup="true" aria-expanded={open}
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"} onClick={() => setOpen(!open)}
        data-testid="bell">
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
        </svg>
        {unread > 0 && <span className="bell-count" data-testid="bell-count">{unread > 99 ? "99+" : unread}</span>}
      </button>
      {open && (
        <div className="bell-menu" role="dialog" aria-label="Notifications" data-testid="bell-menu">
          <header>
            <strong>Notifications</strong>
            <button type="button" className="link-button" disabled={!unread} onClick={() => void markRead()}>Mark all read</button>
          </header>
          {items.length === 0 ? <p className="muted bell-empty">Nothing yet. Failed runs and “Notify in the app” steps show up here.</p> : (
            <ul>
              {items.map((n) => (
                <li key={n.id} className={`bell-item bell-${n.level}${n.read ? "" : " unread"}`} data-testid="notification">
                  <button type="button" onClick={() => follow(n)}>
                    <span className="bell-title">{n.title}</span>
                    {n.body && <span className="bell-body">{n.body}</span>}
                    <span className="bell-when">{ago(n.created_at)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
