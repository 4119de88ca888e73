/**
 * The signed-in session: a short-lived access token kept in memory, and the refresh token in
 * localStorage so a reload stays signed in. `authFetch` adds the token, refreshes it silently
 * when it is about to expire or is refused, and ends the session cleanly when the refresh token
 * itself is refused.
 */

const REFRESH_KEY = "mancrel.refresh_token";
// Refresh a little before expiry so a request never races the clock.
const EXPIRY_MARGIN_MS = 30_000;

export type SessionStatus = "signed-in" | "signed-out" | "expired";

interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

let accessToken: string | null = null;
let expiresAt = 0;
let status: SessionStatus = readRefreshToken() ? "signed-in" : "signed-out";
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function readRefreshToken(): string | null {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function setStatus(next: SessionStatus): void {
  status = next;
  listeners.forEach((listener) => listener());
}

function store(tokens: TokenPair): void {
  accessToken = tokens.access_token;
  expiresAt = Date.now() + tokens.expires_in * 1000;
  localStorage.setItem(REFRESH_KEY, tokens.refresh_token);
  if (status !== "signed-in") setStatus("signed-in");
}

function clear(next: SessionStatus): void {
  accessToken = null;
  expiresAt = 0;
  localStorage.removeItem(REFRESH_KEY);
  setStatus(next);
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getStatus(): SessionStatus {
  return status;
}

/** The current access token, for transports that cannot send headers (EventSource). */
export async function freshAccessToken(): Promise<string | null> {
  if (!accessToken || Date.now() > expiresAt - EXPIRY_MARGIN_MS) await refresh();
  return accessToken;
}

/** Signs in; throws the API's Response on failure so the caller can word it. */
export async function login(email: string, password: string): Promise<void> {
  const response = await fetch(`${origin()}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw response;
  store((await response.json()) as TokenPair);
}

/**
 * One refresh at a time: the API rotates refresh tokens and treats reuse as theft. Within a tab
 * one promise is shared; across tabs a Web Lock queues them, and each reads the refresh token
 * only once it holds the lock, so it uses the one the previous tab just received.
 */
export function refresh(): Promise<boolean> {
  if (!refreshing) {
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    // request() resolves with the callback's settled value; the DOM typings nest the promise.
    const run = locks ? (locks.request("mancrel-refresh", doRefresh) as unknown as Promise<boolean>) : doRefresh();
    refreshing = run.finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function doRefresh(): Promise<boolean> {
  const token = readRefreshToken();
  if (!token) {
    if (status === "signed-in") clear("expired");
    return false;
  }
  let response: Response;
  try {
    response = await fetch(`${origin()}/api/v1/auth/refresh`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: token }),
    });
  } catch {
    return false; // offline: keep the session, the next request tries again
  }
  if (response.ok) {
    store((await response.json()) as TokenPair);
    return true;
  }
  if (response.status === 401 || response.status === 422) clear("expired");
  return false;
}

/**
 * Changes the signed-in user's own password. The API ends every session of the user and answers
 * with a new pair for this one, which is kept here (and, through localStorage, by this browser's
 * other tabs). Throws the API's Response on failure so the caller can word it.
 */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const response = await authFetch(new Request(`${origin()}/api/v1/auth/password`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ current_password: currentPassword, new_password: newPassword }),
  }));
  if (!response.ok) throw response;
  store((await response.json()) as TokenPair);
}

export async function logout(): Promise<void> {
  const token = readRefreshToken();
  if (accessToken || token) {
    try {
      await authFetch(
        new Request(`${origin()}/api/v1/auth/logout`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: token }),
        }),
      );
    } catch {
      // Signing out locally matters more than telling the server.
    }
  }
  clear("signed-out");
}

function withToken(request: Request): Request {
  const headers = new Headers(request.headers);
  if (accessToken) headers.set("Authorization", `Bearer ${accessToken}`);
  return new Request(request, { headers });
}

/** `fetch` for the API client: bearer token, silent refresh, one retry after a refused token. */
export async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  if (readRefreshToken() && (!accessToken || Date.now() > expiresAt - EXPIRY_MARGIN_MS)) await refresh();
  const response = await fetch(withToken(request));
  if (response.status !== 401 || !readRefreshToken()) return response;
  return (await refresh()) ? fetch(withToken(retry)) : response;
}

/** Tests start each case signed out, without a server round trip. */
export function resetSessionForTests(): void {
  refreshing = null;
  clear("signed-out");
}

export function origin(): string {
  return window.location.origin;
}
