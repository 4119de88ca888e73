import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api/client";
import type { TeamCreate, TeamUpdate } from "../types";

export const teamsKey = ["teams"] as const;

export const teamsQuery = () => queryOptions({ queryKey: teamsKey, queryFn: () => unwrap(api.GET("/api/v1/teams")) });

export function useTeams() {
  return useQuery(teamsQuery());
}

/** The intents a team can own, and the people who can be in one. */
export function useTeamChoices() {
  const intents = useQuery({ queryKey: ["ai", "intents"], queryFn: () => unwrap(api.GET("/api/v1/ai/intents")), staleTime: 60 * 60_000 });
  const users = useQuery({ queryKey: ["users", "directory"], queryFn: () => unwrap(api.GET("/api/v1/users/directory")), staleTime: 5 * 60_000 });
  return { intents, users };
}

export function useCreateTeam() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TeamCreate) => unwrap(api.POST("/api/v1/teams", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: teamsKey }),
  });
}

export function useUpdateTeam(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TeamUpdate) => unwrap(api.PATCH("/api/v1/teams/{team_id}", { params: { path: { team_id: teamId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: teamsKey }),
  });
}

export function useDeleteTeam() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (teamId: string) => unwrap(api.DELETE("/api/v1/teams/{team_id}", { params: { path: { team_id: teamId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: teamsKey }),
  });
}
