/**
 * A stand-in for the browser's EventSource, so a test can deliver live events the way
 * `GET /api/v1/events` frames them (`event: <topic>`, `data: {topic, payload, at}`).
 */
import { vi } from "vitest";

type Listener = (event: { data: string }) => void;

export class FakeEventSource {
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 1;
  onopen: (() => void) | null = null;
  onmessage: Listener | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(name: string, listener: Listener): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }

  emit(topic: string, payload: Record<string, unknown>): void {
    const data = JSON.stringify({ topic, payload, at: new Date().toISOString() });
    this.listeners.get(topic)?.forEach((listener) => listener({ data }));
  }
}

/** Installs the fake; returns a function that sends an event to every open stream. */
export function installFakeEvents() {
  FakeEventSource.instances = [];
  vi.stubGlobal("EventSource", FakeEventSource);
  return (topic: string, payload: Record<string, unknown>) =>
    FakeEventSource.instances.filter((s) => s.readyState !== FakeEventSource.CLOSED).forEach((s) => s.emit(topic, payload));
}
