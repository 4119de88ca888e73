/**
 * A stand-in for the HTTP API at the fetch boundary, answering in the API's documented shapes
 * (JSON bodies, problem+json errors). Component tests run the real client, session and query
 * code against it; the Playwright journeys run against the real backend.
 */
import { vi } from "vitest";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
  /** A multipart upload's fields (a file upload), when the request sent FormData. */
  form?: FormData;
}

type Reply = { status?: number; body?: unknown; headers?: Record<string, string> };
type Handler = (call: Call) => Reply | Promise<Reply>;

export function json(body: unknown, status = 200): Reply {
  return { status, body };
}

export function problem(status: number, title: string, detail?: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { type: "about:blank", title, status, detail, ...extra }, headers: { "Content-Type": "application/problem+json" } };
}

/** Routes are "METHOD /path" with `:param` segments; unknown routes answer 404 problem+json. */
export function installFakeApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const compiled = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(" ");
    const regex = new RegExp(`^${pattern.replace(/:[a-z_]+/g, "[^/]+")}$`);
    return { method, regex, handler };
  });

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const multipart = request.headers.get("Content-Type")?.startsWith("multipart/form-data");
    const form = multipart ? await request.formData() : undefined;
    const text = multipart ? "" : await request.text();
    const call: Call = {
      method: request.method, path: url.pathname, query: url.searchParams, headers: request.headers,
      body: text ? JSON.parse(text) : undefined, form,
    };
    calls.push(call);
    const route = compiled.find((r) => r.method === call.method && r.regex.test(call.path));
    const reply = route ? await route.handler(call) : problem(404, "Not Found");
    const status = reply.status ?? 200;
    const body = status === 204 ? null : JSON.stringify(reply.body ?? null);
    return new Response(body, { status, headers: { "Content-Type": "application/json", ...reply.headers } });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, find: (method: string, path: string | RegExp) => calls.filter((c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path))) };
}

export const TOKENS = { access_token: "access-1", refresh_token: "refresh-1", token_type: "bearer", expires_in: 900 };

export const ME = {
  id: "u-rita", email: "rita.rep@example.com", full_name: "Rita Chen", role: "rep", is_active: true, created_at: "2026-11-01T09:00:00Z",
};

/** The routes every signed-in screen calls, to spread into a test's own routes. */
export const baseRoutes: Record<string, Handler> = {
  "POST /api/v1/auth/login": () => json(TOKENS),
  "POST /api/v1/auth/refresh": () => json({ ...TOKENS, access_token: "access-2", refresh_token: "refresh-2" }),
  "POST /api/v1/auth/logout": () => ({ status: 204 }),
  "GET /api/v1/users/me": () => json(ME),
  "GET /api/v1/users/directory": () => json([{ id: ME.id, email: ME.email, full_name: ME.full_name, role: "rep" }]),
  // Record pages show the custom fields an admin defined; none unless a test defines some.
  "GET /api/v1/custom-fields": () => json({ items: [], next_cursor: null }),
};
