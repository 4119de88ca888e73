import { useMutation } from "@tanstack/react-query";
import { authFetch, origin } from "@/lib/auth/session";
import { problemFromResponse } from "@/lib/problem";
import type { ImportJob, ImportObject } from "../types";

export interface ImportStart {
  file: File;
  objectType: ImportObject;
  /** CSV column -> record field; columns left out are not imported. */
  mapping: Record<string, string>;
}

/** Multipart upload: the API checks file and mapping now and imports the rows in the background. */
export async function createImport({ file, objectType, mapping }: ImportStart): Promise<ImportJob> {
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("object_type", objectType);
  form.append("mapping", JSON.stringify(mapping));
  const response = await authFetch(new Request(`${origin()}/api/v1/imports`, { method: "POST", body: form }));
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as ImportJob;
}

export function useCreateImport() {
  return useMutation({ mutationFn: createImport });
}
