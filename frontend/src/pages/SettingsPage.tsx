/** Settings: Flowlane-wide settings (failure alerts, run retention), people, my API tokens and
 *  the audit log. Everyone has their tokens (and reads the settings); admins see the rest. */
import { useState } from "react";
import { atLeast } from "../api/session";
import { RetentionSettings } from "../components/RetentionSettings";
import { AlertSettings } from "../settings/AlertSettings";
import { AuditLog } from "../settings/AuditLog";
import { PeopleSettings } from "../settings/PeopleSettings";
import { TokenSettings } from "../settings/TokenSettings";
import "../settings/settings.css";

type Tab = "general" | "people" | "tokens" | "audit";
const TITLES: Record<Tab, string> = { general: "General", people: "People", tokens: "API tokens", audit: "Audit log" };

export function SettingsPage() {
  const admin = atLeast("admin");
  const tabs: Tab[] = admin ? ["general", "people", "tokens", "audit"] : ["general", "tokens"];
  const wanted = window.location.hash.slice(1) as Tab;
  const [tab, setTab] = useState<Tab>(tabs.includes(wanted) ? wanted : "general");
  const pick = (next: Tab) => {
    setTab(next);
    window.history.replaceState(null, "", `#${next}`);
  };
  return (
    <main className="page settings-page" data-testid="settings-page">
      <div className="page-head"><h1>Settings</h1></div>
      <nav className="settings-tabs" role="tablist" aria-label="Settings">
        {tabs.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? "active" : ""} onClick={() => pick(t)}>
            {TITLES[t]}
          </button>
        ))}
      </nav>
      {tab === "general" && (
        <>
          {!admin && <p className="hint">Only admins change these settings.</p>}
          <h2 className="settings-title">Failure alerts</h2>
          <AlertSettings />
          <h2 className="settings-title">Run retention</h2>
          <RetentionSettings />
        </>
      )}
      {tab === "people" && <PeopleSettings />}
      {tab === "tokens" && <TokenSettings />}
      {tab === "audit" && <AuditLog />}
    </main>
  );
}
