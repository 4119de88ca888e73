import { describeError } from "@/lib/problem";
import { type ExportQuery, useDownloadExport } from "../api/download-export";

interface Props {
  path: string;
  query: ExportQuery;
  filename: string;
  /** Says what the file holds, e.g. "the contacts this list shows". */
  title: string;
}

export function ExportButton({ path, query, filename, title }: Props) {
  const download = useDownloadExport();
  return (
    <>
      <button type="button" className="button button-secondary" title={title} disabled={download.isPending}
        onClick={() => download.mutate({ path, query, filename })}>
        {download.isPending ? "Exporting…" : "Export CSV"}
      </button>
      {download.error && <span className="error-message" role="alert">{describeError(download.error)}</span>}
    </>
  );
}
