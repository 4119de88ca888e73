import { ErrorMessage } from "@/components/ui/error-message";
import { useDownloadAudit } from "../api/review";

const DAY = 86_400_000;

/** The audit CSV of the picked dates, or of the last 30 days when none are picked. */
export function AuditDownload({ since, until }: { since?: string; until?: string }) {
  const download = useDownloadAudit();
  const to = until ?? new Date(Date.now() + 60_000).toISOString();
  const from = since ?? new Date(Date.parse(to) - 30 * DAY).toISOString();
  return (
    <p>
      <button type="button" className="link-button" disabled={download.isPending}
        onClick={() => download.mutate({ since: from, until: to })}>
        {download.isPending ? "Downloading…" : "Download the audit (CSV)"}
      </button>
      {since || until ? " for the picked dates" : " of the last 30 days"}
      {download.error ? <ErrorMessage error={download.error} /> : null}
    </p>
  );
}
