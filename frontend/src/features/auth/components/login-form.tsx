import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Field } from "@/components/ui/field";
import { login } from "@/lib/auth/session";
import { describeError, problemFromResponse } from "@/lib/problem";

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password."),
});
type Values = z.infer<typeof schema>;

export function LoginForm({ onSignedIn, notice }: { onSignedIn: () => void; notice?: string }) {
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<Values>({ resolver: zodResolver(schema) });

  const onSubmit = handleSubmit(async ({ email, password }) => {
    setFailure(null);
    try {
      await login(email, password);
      onSignedIn();
    } catch (error) {
      setFailure(describeError(error instanceof Response ? await problemFromResponse(error) : error));
    }
  });

  return (
    <form className="login-form" onSubmit={onSubmit} noValidate>
      <h1>Sign in to Mancrel</h1>
      {notice && !failure && <p className="notice" role="status">{notice}</p>}
      {failure && <p className="error-message" role="alert">{failure}</p>}
      <Field label="Email" error={formState.errors.email?.message}>
        <input type="email" autoComplete="username" autoFocus {...register("email")} />
      </Field>
      <Field label="Password" error={formState.errors.password?.message}>
        <input type="password" autoComplete="current-password" {...register("password")} />
      </Field>
      <button type="submit" className="button button-primary" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
