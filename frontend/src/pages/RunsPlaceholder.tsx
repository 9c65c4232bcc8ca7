/**
 * PLACEHOLDER: the Runs page belongs to the run-history issue (#6) and replaces this file.
 * It only keeps the /runs and /runs/:id routes alive under the shared header.
 */
export function RunsPlaceholder({ id }: { id?: number }) {
  return (
    <main className="page" data-testid="runs-placeholder">
      <h1>Runs</h1>
      <div className="placeholder">
        <strong>Placeholder.</strong> The run history viewer is not built yet.
        {id !== undefined && <> You asked for run #{id}.</>} Run data is available from the API at{" "}
        <a href={id !== undefined ? `/api/runs/${id}` : "/api/runs"}>{id !== undefined ? `/api/runs/${id}` : "/api/runs"}</a>.
      </div>
    </main>
  );
}
