import { useSyncExternalStore } from "react";
import { isStreamOpen, subscribeStreamState } from "@/lib/events";

/** Whether live events arrive now; while not, the catalogue's queries poll slowly instead. */
export function useStreamOpen(): boolean {
  return useSyncExternalStore(subscribeStreamState, isStreamOpen, () => false);
}
