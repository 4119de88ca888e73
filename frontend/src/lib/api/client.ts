import createClient from "openapi-fetch";
import { authFetch, origin } from "@/lib/auth/session";
import { ApiError, problemFromResponse } from "@/lib/problem";
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
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  // openapi-fetch has already read the body into `error`; anything but an object (an HTML
  // page from a proxy, an empty body) leaves only the status to go on.
  if (error && typeof error === "object") throw new ApiError({ ...(error as object), status: response.status });
  throw await problemFromResponse(response);
}
