/** The header shared by every page: Workflows, Runs, Data, Dashboards, Reports, Connections. */
import { api } from "../api/client";
import { signedOut, useSession } from "../api/session";
import type { Route } from "../router";
import { Link } from "./Link";
import { NotificationBell } from "./NotificationBell";

const LINKS: { href: string; label: string; names: Route["name"][] }[] = [
  { href: "/", label: "Workflows", names: ["workflows", "editor"] },
  { href: "/runs", label: "Runs", names: ["runs"] },
  { href: "/data", label: "Data", names: ["data"] },
  { href: "/dashboards", label: "Dashboards", names: ["dashboards"] },
  { href: "/reports", label: "Reports", names: ["reports"] },
  { href: "/connections", label: "Connections", names: ["connections"] },
];

export function Header({ route }: { route: Route }) {
  return (
    <header className="app-header">
      <Link href="/" className="brand" aria-label="Flowlane home">
        <span className="brand-mark">◆</span> Flowlane
      </Link>
      <nav className="main-nav" aria-label="Main">
        {LINKS.map((link) => (
          <Link key={link.href} href={link.href} className={link.names.includes(route.name) ? "active" : ""}
            aria-current={link.names.includes(route.name) ? "page" : undefined}>
            {link.label}
          </Link>
        ))}
      </nav>
      <NotificationBell />
      <UserMenu current={route.name === "settings"} />
    </header>
  );
}

function UserMenu({ current }: { current: boolean }) {
  const { user } = useSession();
  if (!user) return null;
  const signOut = async () => {
    await api.logout().catch(() => undefined);
    signedOut();
  };
  return (
    <div className="user-menu">
      <span className="user-email" title={`Role: ${user.role}`}>{user.email}</span>
      <Link href="/settings" className={current ? "user-settings active" : "user-settings"}
        aria-current={current ? "page" : undefined}>Settings</Link>
      <button type="button" className="link-button" onClick={signOut}>Sign out</button>
    </div>
  );
}
