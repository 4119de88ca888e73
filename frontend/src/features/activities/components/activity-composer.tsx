import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useCreateActivity } from "../api/create-activity";

type Mode = "call" | "note" | "task";

const MODES: { mode: Mode; label: string; subject: string }[] = [
  { mode: "call", label: "Log a call", subject: "Call summary" },
  { mode: "note", label: "Add a note", subject: "Note" },
  { mode: "task", label: "Add a task", subject: "What needs doing" },
];

const schema = z.object({
  subject: z.string().trim().min(1, "Write a short summary.").max(300, "Keep it under 300 characters."),
  body: z.string().max(100_000).optional(),
  due: z.string().optional(),
});
type Values = z.infer<typeof schema>;

/** A new task is due tomorrow at 9:00 (the rep's own time) unless they pick otherwise: a datetime-local value. */
export function defaultTaskDue(now: Date): string {
  const due = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${due.getFullYear()}-${pad(due.getMonth() + 1)}-${pad(due.getDate())}T09:00`;
}

interface Props {
  links: { contact_id?: string; company_id?: string; deal_id?: string };
}

/** Log a call, add a note or add a task on a record, without leaving its page. */
export function ActivityComposer({ links }: Props) {
  const [mode, setMode] = useState<Mode | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const create = useCreateActivity();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { subject: "", body: "", due: "" } });
  const current = MODES.find((m) => m.mode === mode);

  const onSubmit = form.handleSubmit(async (values) => {
    if (!mode) return;
    if (mode === "task" && !values.due) {
      form.setError("due", { message: "Pick when it is due." });
      return;
    }
    const due = mode === "task" && values.due ? new Date(values.due).toISOString() : undefined;
    try {
      await create.mutateAsync({ type: mode, subject: values.subject, body: values.body ?? "", due_at: due, ...links });
    } catch {
      return; // create.error is on screen and the form keeps what was typed
    }
    setSaved(mode === "call" ? "Call logged." : mode === "note" ? "Note added." : "Task added.");
    form.reset();
    setMode(null);
  });

  return (
    <section className="composer" aria-label="Log activity">
      <div className="button-row" role="group" aria-label="What to record">
        {MODES.map((m) => (
          <button key={m.mode} type="button" aria-pressed={mode === m.mode}
            className={`button ${mode === m.mode ? "button-primary" : "button-secondary"}`}
            onClick={() => {
              setMode(m.mode); setSaved(null); create.reset();
              if (m.mode === "task" && !form.getValues("due")) form.setValue("due", defaultTaskDue(new Date()));
            }}>
            {m.label}
          </button>
        ))}
      </div>
      {saved && <p className="notice" role="status">{saved}</p>}
      {current && (
        <form className="composer-form" onSubmit={onSubmit} noValidate aria-label={current.label}>
          <Field label={current.subject} error={form.formState.errors.subject?.message}>
            <input type="text" autoFocus {...form.register("subject")} />
          </Field>
          <Field label={mode === "task" ? "Details" : "Notes"}>
            <textarea rows={3} {...form.register("body")} />
          </Field>
          {mode === "task" && (
            <Field label="Due" error={form.formState.errors.due?.message}>
              <input type="datetime-local" {...form.register("due")} />
            </Field>
          )}
          {create.error && <ErrorMessage error={create.error} />}
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Save</button>
            <button type="button" className="button button-ghost" onClick={() => setMode(null)}>Cancel</button>
          </div>
        </form>
      )}
    </section>
  );
}
