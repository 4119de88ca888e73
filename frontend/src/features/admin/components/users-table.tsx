import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { useCreateUser, useUpdateUser, useUsers } from "../api/users";
import { ROLE_LABELS, type Role, type User } from "../types";

/** Everyone who signs in: their role, and whether they still may. */
export function UsersTable({ meId }: { meId?: string }) {
  const users = useUsers();
  const update = useUpdateUser();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  const change = (user: User, body: { role?: Role; is_active?: boolean }, message: string) => {
    setNotice("");
    update.mutate({ id: user.id, body }, { onSuccess: () => setNotice(message) });
  };
  return (
    <>
      <div className="button-row">
        <button type="button" className="button button-primary" aria-expanded={adding} onClick={() => setAdding(!adding)}>New user</button>
      </div>
      <p role="status" className="live-line notice">{notice}</p>
      {adding && <UserForm onDone={(u) => { setAdding(false); setNotice(`Added ${u.email}.`); }} onCancel={() => setAdding(false)} />}
      {update.error ? <ErrorMessage error={update.error} /> : null}
      {users.isPending ? <Spinner label="Loading users…" /> : users.error ? <ErrorMessage error={users.error} onRetry={() => users.refetch()} /> : (
        <div className="table-wrap">
          <table className="data-table">
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Access</th></tr></thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id}>
                  <th scope="row" data-label="Name">{u.full_name || "—"}</th>
                  <td data-label="Email">{u.email}</td>
                  <td data-label="Role">
                    <select aria-label={`Role of ${u.email}`} value={u.role} disabled={u.id === meId || update.isPending}
                      onChange={(e) => change(u, { role: e.target.value as Role }, `${u.email} is now ${ROLE_LABELS[e.target.value as Role].toLowerCase()}.`)}>
                      {Object.entries(ROLE_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
                    </select>
                  </td>
                  <td data-label="Access">
                    {u.id === meId ? <span className="muted">You</span> : (
                      <button type="button" className="button button-secondary button-small" disabled={update.isPending}
                        onClick={() => change(u, { is_active: !u.is_active }, `${u.email} ${u.is_active ? "can no longer sign in" : "can sign in again"}.`)}>
                        {u.is_active ? "Deactivate" : "Reactivate"}<span className="visually-hidden"> {u.email}</span>
                      </button>
                    )}
                    {!u.is_active && <span className="badge">Deactivated</span>}
                    {u.id !== meId && (
                      <button type="button" className="button button-ghost button-small" aria-expanded={resetting === u.id}
                        onClick={() => setResetting(resetting === u.id ? null : u.id)}>
                        Set password<span className="visually-hidden"> for {u.email}</span>
                      </button>
                    )}
                    {resetting === u.id && (
                      <SetPasswordForm user={u} onCancel={() => setResetting(null)}
                        onDone={() => { setResetting(null); setNotice(`New password set for ${u.email}. They were signed out everywhere.`); }} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const passwordSchema = z.object({ password: z.string().min(10, "At least 10 characters.") });

/** An admin's reset: the API signs the user out everywhere; the admin tells them the new password. */
function SetPasswordForm({ user, onDone, onCancel }: { user: User; onDone: () => void; onCancel: () => void }) {
  const update = useUpdateUser();
  const form = useForm<{ password: string }>({ resolver: zodResolver(passwordSchema), defaultValues: { password: "" } });
  const submit = form.handleSubmit(async ({ password }) => {
    const saved = await update.mutateAsync({ id: user.id, body: { password } }).catch(() => null);
    if (saved) onDone();
  });
  return (
    <form className="inline-form" aria-label={`New password for ${user.email}`} onSubmit={submit} noValidate>
      <Field label="New password" error={form.formState.errors.password?.message} hint="They are signed out everywhere.">
        <input type="password" autoComplete="new-password" autoFocus {...form.register("password")} />
      </Field>
      {update.error ? <ErrorMessage error={update.error} /> : null}
      <div className="button-row">
        <button type="submit" className="button button-primary button-small" disabled={form.formState.isSubmitting}>Set password</button>
        <button type="button" className="button button-ghost button-small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

const schema = z.object({
  email: z.string().trim().email("Enter an email address."),
  full_name: z.string().trim().max(200),
  role: z.enum(["admin", "manager", "rep"]),
  password: z.string().min(10, "At least 10 characters."),
});
type Values = z.infer<typeof schema>;

function UserForm({ onDone, onCancel }: { onDone: (u: User) => void; onCancel: () => void }) {
  const create = useCreateUser();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: "", full_name: "", role: "rep", password: "" } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const user = await create.mutateAsync({ ...values, is_active: true }).catch(() => null);
    if (user) onDone(user);
  });
  return (
    <form className="card" aria-label="New user" onSubmit={submit} noValidate>
      <div className="form-grid">
        <Field label="Email" error={errors.email?.message}><input type="email" autoFocus {...form.register("email")} /></Field>
        <Field label="Full name"><input type="text" {...form.register("full_name")} /></Field>
        <Field label="Role"><select {...form.register("role")}>{Object.entries(ROLE_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></Field>
        <Field label="First password" error={errors.password?.message} hint="They can change it later."><input type="password" autoComplete="new-password" {...form.register("password")} /></Field>
      </div>
      {create.error ? <ErrorMessage error={create.error} /> : null}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>Add user</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
