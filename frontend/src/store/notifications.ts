/** The bell's state: my latest notifications and the unread count, kept live by Socket.IO. */
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import { notificationsApi, type Notification, type NotificationList } from "../api/notifications";

interface NotificationState {
  items: Notification[];
  unread: number;
  loaded: boolean;
}

const LIMIT = 30;

export const notificationStore = createStore<NotificationState>()(() => ({ items: [], unread: 0, loaded: false }));

function apply(list: NotificationList): void {
  notificationStore.setState({ items: list.notifications, unread: list.unread, loaded: true });
}

/** Read the list from the server (on start, and after a reconnect that may have missed some). */
export async function loadNotifications(): Promise<void> {
  apply(await notificationsApi.list(LIMIT));
}

/** A notification pushed live; one already shown (e.g. read again after a reconnect) counts once. */
export function received(notification: Notification): boolean {
  const { items, unread } = notificationStore.getState();
  if (items.some((n) => n.id === notification.id)) return false;
  notificationStore.setState({
    items: [notification, ...items].slice(0, LIMIT),
    unread: unread + (notification.read ? 0 : 1),
  });
  return true;
}

/** Mark these (or all) read; the count shown is the server's answer. */
export async function markRead(ids?: number[]): Promise<void> {
  const { items } = notificationStore.getState();
  const marking = new Set(ids ?? items.map((n) => n.id));
  notificationStore.setState({ items: items.map((n) => (marking.has(n.id) ? { ...n, read: true } : n)) });
  const answer = await notificationsApi.markRead(ids);
  notificationStore.setState({ unread: answer.unread });
}

export function useNotifications<T>(select: (state: NotificationState) => T): T {
  return useStore(notificationStore, select);
}
