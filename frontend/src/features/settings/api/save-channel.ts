import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { ChannelCreate, ChannelUpdate } from "../types";
import { channelsKey } from "./list-channels";

export function useCreateChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ChannelCreate) => unwrap(api.POST("/api/v1/channels", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: channelsKey }),
  });
}

export function useUpdateChannel(channelId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ChannelUpdate) =>
      unwrap(api.PATCH("/api/v1/channels/{channel_id}", { params: { path: { channel_id: channelId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: channelsKey }),
  });
}
