import { useEffect, useState } from "react";
import { ApiError, api } from "./api/client";
import { Header } from "./components/Header";
import { Toasts } from "./components/Toasts";
import { toast } from "./components/toast";
import { setSession, useSession } from "./api/session";
import { ConnectionsPage } from "./pages/ConnectionsPage";
import { LoginPage } from "./pages/LoginPage";
import { EditorPage } from "./pages/EditorPage";
import { RunDetailPage } from "./pages/RunDetailPage";
import { RunsPage } from "./pages/RunsPage";
import { SettingsPage } from "./pages/SettingsPage";
import { WorkflowsPage } from "./pages/WorkflowsPage";
import { DashboardsPage, DataPage, ReportsPage } from "./pages/lazy";
import { match, navigate, useLocation } from "./router";
import { pasteIntoEditor } from "./workflows/pasteIntoEditor";
import { ImportReportHost } from "./workflows/ImportReportDialog";
import { importN8n } from "./workflows/importReport";
import { isN8nExport } from "./lib/n8n";

/** Import a workflow document as a new workflow and open it; problems are shown as a toast. */
export async function importText(text: string): Promise<boolean> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    toast("That is not JSON: a workflow file is a JSON document.", "error");
    return false;
  }
  if (isN8nExport(data)) return importN8n(data);
  try {
    const result = await api.importWorkflow(data);
    toast(`Imported "${result.workflow.name}"`, "success");
    navigate(`/workflows/${result.workflow.id}`);
    return true;
  } catch (err) {
    const detail = err instanceof ApiError && err.errors.length
      ? `${err.message}` : (err as Error).message;
    toast(`Import failed: ${detail}`, "error");
    return false;
  }
}

function hasFiles(event: DragEvent): boolean {
  return !!event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files");
}

/** Dropping a .json file anywhere: imports it (or, in the editor, pastes its nodes). */
function useFileDrop(inEditor: boolean): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth += 1;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) setOver(false);
    };
    const overHandler = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = async (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      if (!file.name.toLowerCase().endsWith(".json") && file.type !== "application/json") {
        toast(`${file.name} is not a .json workflow file.`, "error");
        return;
      }
      const text = await file.text();
      if (inEditor) {
        await pasteIntoEditor(text, file.name);
      } else {
        await importText(text);
      }
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragleave", leave);
    window.addEventListener("dragover", overHandler);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("dragover", overHandler);
      window.removeEventListener("drop", drop);
    };
  }, [inEditor]);
  return over;
}

/** The app behind sign-in: asks the server who we are first, then shows the page or the
 *  sign-in form (also after any 401, e.g. when the session ended elsewhere). */
export function App() {
  const session = useSession();
  useEffect(() => {
    api.me()
      .then((me) => setSession({ status: "signed-in", user: me.user, csrf: me.csrf_token }))
      .catch(() => setSession({ status: "signed-out", user: null, csrf: "" }));
  }, []);
  if (session.status === "unknown") return <div className="app" aria-busy="true" />;
  if (session.status === "signed-out" || session.user?.must_change_password) {
    return <LoginPage />;
  }
  return <SignedInApp />;
}

function SignedInApp() {
  const location = useLocation();
  const route = match(location);
  const dropping = useFileDrop(route.name === "editor");
  let page;
  switch (route.name) {
    case "workflows":
      page = <WorkflowsPage />;
      break;
    case "editor":
      page = <EditorPage key={route.id} id={route.id} />;
      break;
    case "connections":
      page = <ConnectionsPage />;
      break;
    case "settings":
      page = <SettingsPage />;
      break;
    case "runs":
      page = route.id !== undefined ? <RunDetailPage key={route.id} id={route.id} /> : <RunsPage />;
      break;
    case "data":
      page = <DataPage id={route.id} />;
      break;
    case "dashboards":
      page = <DashboardsPage />;
      break;
    case "reports":
      page = <ReportsPage />;
      break;
    default:
      page = (
        <main className="page">
          <h1>Not found</h1>
          <p>There is nothing at {location}.</p>
        </main>
      );
  }
  return (
    <div className="app">
      <Header route={route} />
      {page}
      {dropping && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div>{route.name === "editor" ? "Drop a workflow .json to paste its nodes" : "Drop a workflow .json to import it"}</div>
        </div>
      )}
      <ImportReportHost />
      <Toasts />
    </div>
  );
}
