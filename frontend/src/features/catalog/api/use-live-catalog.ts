import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { subscribeEvents } from "@/lib/events";
import { COALESCE_MS, mergePlans, refreshPlan, type RefreshPlan } from "../catalog-logic";
import { productKey } from "./products";
import { useStreamOpen } from "./use-stream-open";

const TOPICS = new Set(["product.updated", "product.deleted"]);

/**
 * The shop changed products (webhook, poll or reconciliation): refetch the lists and the products
 * on screen. Events carry ids only; the refetch goes through the API. After the stream was down,
 * refetch once on reconnecting, as events sent meanwhile are gone.
 */
export function useLiveCatalog() {
  const client = useQueryClient();
  const open = useStreamOpen();
  const wasOpen = useRef(open);
  const everOpen = useRef(open);
  useEffect(() => {
    let held: RefreshPlan | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      const plan = held;
      held = null;
      timer = undefined;
      if (!plan) return;
      void client.invalidateQueries({ queryKey: ["products", "list"] });
      void client.invalidateQueries({ queryKey: ["search", "product"] });
      void client.invalidateQueries({ queryKey: ["catalog", "sources"] }); // admins' sync health
      if (plan.all) void client.invalidateQueries({ queryKey: ["products"] });
      else plan.ids.forEach((id) => void client.invalidateQueries({ queryKey: productKey(id), exact: true }));
    };
    const unsubscribe = subscribeEvents((event) => {
      if (!TOPICS.has(event.topic)) return;
      held = mergePlans(held, refreshPlan(event.payload));
      timer ??= setTimeout(flush, COALESCE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [client]);
  useEffect(() => {
    if (open && !wasOpen.current) {
      if (everOpen.current) void client.invalidateQueries({ queryKey: ["products"] });
      everOpen.current = true;
    }
    wasOpen.current = open;
  }, [client, open]);
  return open;
}
