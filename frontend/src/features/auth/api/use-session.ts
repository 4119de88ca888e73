import { useSyncExternalStore } from "react";
import { getStatus, subscribe, type SessionStatus } from "@/lib/auth/session";

export function useSessionStatus(): SessionStatus {
  return useSyncExternalStore(subscribe, getStatus, getStatus);
}
