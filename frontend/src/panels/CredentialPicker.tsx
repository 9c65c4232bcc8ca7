/** Pick the node's connection, or create a new one inline. */
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { atLeast } from "../api/session";
import type { Credential, NodeSpec } from "../api/types";
import { CredentialDialog } from "../components/CredentialDialog";
import { toast } from "../components/toast";
import { acceptedKinds, useCatalog } from "../store/catalog";

const CREATE = "\u0000create";

export function CredentialPicker({ spec, value, onChange, problem }: {
  spec: NodeSpec;
  value: string | null | undefined;
  onChange: (name: string | null) => void;
  problem?: string;
}) {
  const allKinds = useCatalog((s) => s.kinds);
  const kinds = acceptedKinds(allKinds, spec.credential);
  const [credentials, setCredentials] = useState<Credential[]>([]);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    api.listCredentials().then(setCredentials, (err: Error) => toast(`Could not load connections: ${err.message}`, "error"));
  }, []);
  const usable = credentials.filter((c) => kinds.some((k) => k.id === c.kind));
  const known = !value || usable.some((c) => c.name === value);
  return (
    <div className={`field${problem ? " field-invalid" : ""}`} data-field="credential">
      <div className="field-head">
        <span className="field-label">Connection{spec.credential_required && <span className="req">*</span>}</span>
      </div>
      <select aria-label="Connection" value={value ?? ""} onChange={(e) => {
        if (e.target.value === CREATE) setCreating(true);
        else onChange(e.target.value || null);
      }}>
        <option value="">{spec.credential_required ? "— choose a connection —" : "None"}</option>
        {!known && <option value={value!}>{value} (missing)</option>}
        {usable.map((c) => <option key={c.id} value={c.name}>{c.name}</option>)}
        {atLeast("admin") && <option value={CREATE}>+ Create new connection…</option>}
      </select>
      <span className="help">Accepts: {kinds.map((k) => k.title).join(", ") || spec.credential}</span>
      {problem && <span className="error-text">{problem}</span>}
      {creating && (
        <CredentialDialog kinds={kinds} onClose={() => setCreating(false)}
          onSaved={(c) => {
            setCredentials([...credentials, c]);
            onChange(c.name);
            toast(`Created ${c.name}`, "success");
          }} />
      )}
    </div>
  );
}
