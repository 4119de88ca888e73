/**
 * Live events from `GET /api/v1/events` (server-sent events). EventSource cannot send headers,
 * so the access token goes in the query string, fresh on every (re)connect.
 */
import { freshAccessToken, origin } from "@/lib/auth/session";

export interface LiveEvent {
  topic: string;
  payload: Record<string, unknown>;
}

type Listener = (event: LiveEvent) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failuresBeforeOpen = 0;
// Whether the stream is connected now: screens that poll as a fallback poll only while it is not.
let streamOpen = false;
const stateListeners = new Set<() => void>();

function setStreamOpen(value: boolean): void {
  if (streamOpen === value) return;
  streamOpen = value;
  stateListeners.forEach((listener) => listener());
}
// Topics the stream may send as named events; unnamed messages carry their topic in the data.
const NAMED = [
  "deal.moved", "deal.created", "deal.updated", "deal.won", "deal.lost", "deal.deleted", "deal.restored",
  "message.created", "message.classified", "message.updated", "conversation.updated",
  "reply.suggested", "reply.escalated", "product.updated", "product.deleted",
];

function dispatch(topic: string, data: string): void {
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return;
  }
  const inner = (payload.payload as Record<string, unknown> | undefined) ?? payload;
  const event = { topic: topic !== "message" ? topic : String(payload.topic ?? payload.type ?? "message"), payload: inner };
  listeners.forEach((listener) => listener(event));
}

async function connect(): Promise<void> {
  if (source || listeners.size === 0 || typeof EventSource === "undefined") return;
  const token = await freshAccessToken();
  if (!token || source || listeners.size === 0) return;
  const stream = new EventSource(`${origin()}/api/v1/events?access_token=${encodeURIComponent(token)}`);
  source = stream;
  stream.onopen = () => {
    failuresBeforeOpen = 0;
    setStreamOpen(true);
  };
  stream.onmessage = (message) => dispatch("message", message.data);
  for (const name of NAMED) stream.addEventListener(name, (message) => dispatch(name, (message as MessageEvent).data));
  stream.onerror = () => {
    setStreamOpen(false); // reconnecting or closed: either way events may be missed now
    if (stream.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
    // Closed for good (expired token, server restart, or no events endpoint): reconnect with a
    // fresh token, backing off; after repeated refusals without ever opening, stop trying.
    stream.close();
    source = null;
    failuresBeforeOpen += 1;
    if (failuresBeforeOpen > 5) return;
    retryTimer = setTimeout(connect, Math.min(60_000, 2_000 * 2 ** failuresBeforeOpen));
  };
}

/** Calls `listener` for every live event while subscribed; one shared connection for all. */
export function subscribeEvents(listener: Listener): () => void {
  listeners.add(listener);
  void connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearTimeout(retryTimer);
      source?.close();
      source = null;
      setStreamOpen(false);
    }
  };
}

/** Whether live events are arriving now (for `useSyncExternalStore`, with `subscribeStreamState`). */
export function isStreamOpen(): boolean {
  return streamOpen;
}

export function subscribeStreamState(listener: () => void): () => void {
  stateListeners.add(listener);
  return () => {
    stateListeners.delete(listener);
  };
}
