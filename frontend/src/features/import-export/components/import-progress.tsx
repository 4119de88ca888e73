import { ErrorMessage } from "@/components/ui/error-message";
import { useImport } from "../api/get-import";

interface Props {
  importId: string;
}

/** How far the background job got, then what it made of each row it did not create. */
export function ImportProgress({ importId }: Props) {
  const job = useImport(importId);
  if (job.error) return <ErrorMessage error={job.error} onRetry={() => job.refetch()} />;
  if (!job.data) return <p role="status">Starting the import…</p>;
  const { status, total_rows, processed_rows, created_count, skipped_count, error_count, errors, failure } = job.data;
  const finished = status === "done" || status === "failed";
  const problems = errors as { row: number; message: string | null; skipped?: boolean }[];
  return (
    <div>
      <p role="status">
        {status === "queued" && `Waiting to start: ${total_rows} rows. It starts as soon as the background worker is free; you can leave this page.`}
        {status === "running" && `Importing: ${processed_rows} of ${total_rows} rows done.`}
        {status === "done" && `Import finished: ${processed_rows} of ${total_rows} rows read.`}
        {status === "failed" && `The import stopped after ${processed_rows} of ${total_rows} rows.`}
      </p>
      <progress max={total_rows || 1} value={processed_rows} aria-label="Rows imported" />
      <p>{created_count} created · {skipped_count} skipped as duplicates · {error_count} failed</p>
      {failure && <p className="error-message" role="alert">{failure}</p>}
      {finished && problems.length > 0 && (
        <table className="data-table" aria-label="Rows not imported">
          <thead><tr><th scope="col">Row</th><th scope="col">Outcome</th><th scope="col">Why</th></tr></thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={`${p.row}-${i}`}>
                <td>{p.row}</td>
                <td>{p.skipped ? "Skipped" : "Failed"}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {finished && skipped_count + error_count > problems.length && (
        <p className="muted">Only the first {problems.length} rows not imported are listed.</p>
      )}
    </div>
  );
}
