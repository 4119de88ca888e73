/** Working hours between the API (per day, a list of HH:MM:SS ranges) and the form (per day, one range). */
import { WEEKDAYS, WEEKDAY_LABELS, type WorkingHours, type Weekday } from "./types";

export interface DayForm {
  on: boolean;
  start: string; // HH:MM
  end: string;
}

export interface HoursForm {
  always: boolean;
  timezone: string;
  days: Record<Weekday, DayForm>;
}

const hhmm = (t: string) => t.slice(0, 5);

export function hoursToForm(hours: WorkingHours | null | undefined): HoursForm {
  const days = Object.fromEntries(WEEKDAYS.map((d) => {
    const ranges = hours?.days?.[d] ?? [];
    // The form edits one stretch a day: the first start to the last end of what is stored.
    return [d, ranges.length
      ? { on: true, start: hhmm(ranges[0].start), end: hhmm(ranges[ranges.length - 1].end) }
      : { on: !hours && !["sat", "sun"].includes(d), start: "09:00", end: "17:00" }];
  })) as Record<Weekday, DayForm>;
  return { always: !hours, timezone: hours?.timezone ?? browserZone(), days };
}

/** The API's working hours, or the first day whose stretch does not make sense. */
export function formToHours(form: HoursForm): { hours: WorkingHours | null } | { error: string } {
  if (form.always) return { hours: null };
  const days: Record<string, { start: string; end: string }[]> = {};
  for (const d of WEEKDAYS) {
    const day = form.days[d];
    if (!day.on) continue;
    if (!/^\d{2}:\d{2}$/.test(day.start) || !/^\d{2}:\d{2}$/.test(day.end) || day.start >= day.end) {
      return { error: `${WEEKDAY_LABELS[d]}: the start must be before the end.` };
    }
    days[d] = [{ start: `${day.start}:00`, end: `${day.end}:00` }];
  }
  if (!form.timezone.trim()) return { error: "Give the team's time zone, e.g. Europe/Berlin." };
  return { hours: { timezone: form.timezone.trim(), days } };
}

/** "Mon–Fri 09:00–17:00 (Europe/Berlin)" style summary; "Always working" without hours. */
export function hoursSummary(hours: WorkingHours | null | undefined): string {
  if (!hours) return "Always working";
  const parts: string[] = [];
  let run: { from: Weekday; to: Weekday; text: string } | null = null;
  for (const d of WEEKDAYS) {
    const ranges = hours.days?.[d] ?? [];
    const text = ranges.map((r) => `${hhmm(r.start)}–${hhmm(r.end)}`).join(", ");
    if (run && text && run.text === text) run.to = d;
    else {
      if (run) parts.push(label(run));
      run = text ? { from: d, to: d, text } : null;
    }
  }
  if (run) parts.push(label(run));
  return parts.length ? `${parts.join("; ")} (${hours.timezone})` : `No working days (${hours.timezone})`;
}

const short = (d: Weekday) => WEEKDAY_LABELS[d].slice(0, 3);
const label = (run: { from: Weekday; to: Weekday; text: string }) =>
  `${run.from === run.to ? short(run.from) : `${short(run.from)}–${short(run.to)}`} ${run.text}`;

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Which team already owns each intent (an intent belongs to one team), leaving out `exceptTeamId`. */
export function intentOwners(teams: { id: string; name: string; intents: string[] }[], exceptTeamId?: string): Record<string, string> {
  const owners: Record<string, string> = {};
  for (const t of teams) if (t.id !== exceptTeamId) for (const i of t.intents) owners[i] = t.name;
  return owners;
}
