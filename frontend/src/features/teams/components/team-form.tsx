import { useForm } from "react-hook-form";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useCreateTeam, useUpdateTeam } from "../api/teams";
import { formToHours, hoursToForm, intentOwners, type HoursForm } from "../team-logic";
import { OUT_OF_SCOPE, WEEKDAYS, WEEKDAY_LABELS, type Team } from "../types";

interface Values extends HoursForm {
  name: string;
  member_ids: string[];
  intents: string[];
  manager_id: string;
}

interface Props {
  team?: Team;
  teams: Team[];
  intents: { name: string; description: string }[];
  users: { id: string; full_name: string; email: string; role: string }[];
  onDone: (saved: Team) => void;
  onCancel: () => void;
}

const words = (intent: string) => intent.replace(/_/g, " ");

/** A team: who is in it, which intents it answers, who takes over, and when it works. */
export function TeamForm({ team, teams, intents, users, onDone, onCancel }: Props) {
  const create = useCreateTeam();
  const update = useUpdateTeam(team?.id ?? "");
  const save = team ? update : create;
  const owners = intentOwners(teams, team?.id);
  const form = useForm<Values>({
    defaultValues: {
      name: team?.name ?? "", member_ids: team?.member_ids ?? [], intents: team?.intents ?? [], manager_id: team?.manager_id ?? "",
      ...hoursToForm(team ? team.working_hours : null),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const always = form.watch("always");
  const days = form.watch("days");

  const submit = form.handleSubmit(async (v) => {
    if (!v.name.trim()) {
      form.setError("name", { message: "Give the team a name." });
      return;
    }
    const hours = formToHours(v);
    if ("error" in hours) {
      form.setError("timezone", { message: hours.error });
      return;
    }
    const body = {
      name: v.name.trim(), member_ids: v.member_ids, intents: v.intents, manager_id: v.manager_id || null, working_hours: hours.hours,
    };
    const saved = team ? await update.mutateAsync(body).catch(() => null) : await create.mutateAsync(body).catch(() => null);
    if (saved) onDone(saved);
  });

  return (
    <form className="record-form" onSubmit={submit} noValidate aria-label={team ? `Edit ${team.name}` : "New team"}>
      <div className="form-grid">
        <Field label="Name" error={errors.name?.message}><input type="text" autoFocus maxLength={120} {...form.register("name")} /></Field>
        <Field label="Manager" hint="Takes the team's work when no member is available; unset, an admin does.">
          <select {...form.register("manager_id")}>
            <option value="">No manager</option>
            {users.filter((u) => u.role !== "rep").map((u) => <option key={u.id} value={u.id}>{u.full_name || u.email}</option>)}
          </select>
        </Field>
      </div>

      <fieldset className="form-section">
        <legend>Members</legend>
        <div className="choice-group">
          {users.map((u) => (
            <label key={u.id} className="checkbox-field"><input type="checkbox" value={u.id} {...form.register("member_ids")} /> {u.full_name || u.email}</label>
          ))}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Intents it answers</legend>
        <p className="muted">An intent belongs to one team: escalations and approvals of that intent go to its members.</p>
        <div className="choice-group">
          {[...intents.map((i) => i.name), OUT_OF_SCOPE].map((name) => (
            <label key={name} className="checkbox-field">
              <input type="checkbox" value={name} disabled={Boolean(owners[name])} {...form.register("intents")} /> {words(name)}
              {owners[name] && <small className="muted"> (answered by {owners[name]})</small>}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Working hours</legend>
        <label className="checkbox-field"><input type="checkbox" {...form.register("always")} /> Always working</label>
        {!always && (
          <>
            <Field label="Time zone" hint="e.g. Europe/Berlin" error={errors.timezone?.message}><input type="text" {...form.register("timezone")} /></Field>
            <div className="team-hours">
              {WEEKDAYS.map((d) => (
                <div key={d} className="team-day-row">
                  <label className="checkbox-field team-day"><input type="checkbox" {...form.register(`days.${d}.on`)} /> {WEEKDAY_LABELS[d]}</label>
                  <input type="time" aria-label={`${WEEKDAY_LABELS[d]} from`} disabled={!days[d].on} {...form.register(`days.${d}.start`)} />
                  <input type="time" aria-label={`${WEEKDAY_LABELS[d]} until`} disabled={!days[d].on} {...form.register(`days.${d}.end`)} />
                </div>
              ))}
            </div>
          </>
        )}
      </fieldset>

      {save.error && <ErrorMessage error={save.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>{team ? "Save team" : "Create team"}</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
