import { useMutation } from "@tanstack/react-query";
import { authFetch, origin } from "@/lib/auth/session";
import { problemFromResponse } from "@/lib/problem";

export type ExportQuery = Record<string, string | boolean | undefined>;

export interface ExportRequest {
  /** e.g. "/api/v1/contacts/export.csv" */
  path: string;
  query: ExportQuery;
  filename: string;
}

function filenameFrom(response: Response, fallback: string): string {
  const match = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") ?? "");
  return match?.[1] ?? fallback;
}

/**
 * A plain link cannot carry the bearer token, so the CSV is fetched with it and handed to the
 * browser as a download. The query is the list's own filters: the file holds what the list shows.
 */
export async function downloadExport({ path, query, filename }: ExportRequest): Promise<void> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(key, String(value));
  const search = params.toString();
  const response = await authFetch(new Request(`${origin()}${path}${search ? `?${search}` : ""}`));
  if (!response.ok) throw await problemFromResponse(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filenameFrom(response, filename);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useDownloadExport() {
  return useMutation({ mutationFn: downloadExport });
}
