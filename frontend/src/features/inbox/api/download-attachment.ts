import { useMutation } from "@tanstack/react-query";
import { authFetch, origin } from "@/lib/auth/session";
import { problemFromResponse } from "@/lib/problem";
import type { Attachment } from "../types";

/**
 * A link cannot carry the bearer token, so the file is fetched with it and handed to the browser
 * as a download; the server sends it as octet-stream, so it is never rendered in our origin.
 */
export async function downloadAttachment(conversationId: string, attachment: Attachment): Promise<void> {
  const response = await authFetch(new Request(`${origin()}/api/v1/conversations/${conversationId}/attachments/${attachment.id}`));
  if (!response.ok) throw await problemFromResponse(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = attachment.filename || "attachment";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useDownloadAttachment(conversationId: string) {
  return useMutation({ mutationFn: (attachment: Attachment) => downloadAttachment(conversationId, attachment) });
}
