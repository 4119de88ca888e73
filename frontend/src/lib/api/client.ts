import createClient from "openapi-fetch";
import { authFetch, origin } from "@/lib/auth/session";
import { problemFromResponse } from "@/lib/problem";
import type { paths } from "./schema";

/** The typed API client: paths, parameters and bodies come from the generated schema. */
export const api = createClient<paths>({ baseUrl: origin(), fetch: authFetch });

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the problem+json body. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, response } = await call;
  if (!response.ok) throw await problemFromResponse(response);
  return data as T;
}
