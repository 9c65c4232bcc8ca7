/** The bell's calls: my latest notifications, and marking them read. */
import { call } from "./client";

export interface Notification {
  id: number;
  level: "info" | "success" | "warning" | "error";
  title: string;
  body: string;
  link: string | null;
  run_id: number | null;
  created_at: string;
  read: boolean;
}

export interface NotificationList {
  notifications: Notification[];
  unread: number;
}

export const notificationsApi = {
  list: (limit = 30) => call<NotificationList>("GET", `/api/notifications?limit=${limit}`),
  /** Mark these read, or every one of mine when `ids` is left out. */
  markRead: (ids?: number[]) => call<NotificationList>("POST", "/api/notifications/read", ids ? { ids } : {}),
};
