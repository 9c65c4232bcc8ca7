/** The header shared by every page: Workflows, Runs, Connections. */
import type { Route } from "../router";
import { Link } from "./Link";

const LINKS: { href: string; label: string; names: Route["name"][] }[] = [
  { href: "/", label: "Workflows", names: ["workflows", "editor"] },
  { href: "/runs", label: "Runs", names: ["runs"] },
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
    </header>
  );
}
