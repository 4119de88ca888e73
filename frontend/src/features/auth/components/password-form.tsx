import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Field } from "@/components/ui/field";
import { changePassword } from "@/lib/auth/session";
import { ApiError, describeError, problemFromResponse } from "@/lib/problem";

const schema = z.object({
  current: z.string().min(1, "Enter your current password."),
  next: z.string().min(10, "At least 10 characters."),
  repeat: z.string(),
}).refine((v) => v.next === v.repeat, { path: ["repeat"], message: "The two new passwords differ." });
type Values = z.infer<typeof schema>;

const FIELDS: Record<string, keyof Values> = { current_password: "current", new_password: "next" };

/** Change your own password: the current one proves it is you; other devices are signed out. */
export function PasswordForm() {
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { current: "", next: "", repeat: "" } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async ({ current, next }) => {
    setFailure(null);
    setDone(false);
    try {
      await changePassword(current, next);
      form.reset();
      setDone(true);
    } catch (error) {
      const problem = error instanceof Response ? await problemFromResponse(error) : error;
      // The API names the field it refuses: show it there, as for any other input.
      const named = problem instanceof ApiError ? problem.problem.errors?.find((e) => FIELDS[e.field]) : undefined;
      if (named && problem instanceof ApiError) form.setError(FIELDS[named.field], { message: problem.problem.detail ?? named.message });
      else setFailure(describeError(problem));
    }
  });

  return (
    <form className="card" aria-label="Change your password" onSubmit={submit} noValidate>
      <p role="status" className="live-line notice">
        {done ? "Password changed. You stay signed in here; your other devices have been signed out." : ""}
      </p>
      {failure && <p className="error-message" role="alert">{failure}</p>}
      <Field label="Current password" error={errors.current?.message}>
        <input type="password" autoComplete="current-password" {...form.register("current")} />
      </Field>
      <Field label="New password" error={errors.next?.message} hint="At least 10 characters, not a common one.">
        <input type="password" autoComplete="new-password" {...form.register("next")} />
      </Field>
      <Field label="New password again" error={errors.repeat?.message}>
        <input type="password" autoComplete="new-password" {...form.register("repeat")} />
      </Field>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>
          {isSubmitting ? "Changing…" : "Change password"}
        </button>
      </div>
    </form>
  );
}
