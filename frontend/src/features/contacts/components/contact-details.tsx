import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { formatDateTime } from "@/lib/format";
import { useUpdateContact } from "../api/update-contact";
import { LIFECYCLE_LABELS, type Contact, type Lifecycle } from "../types";

const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

const schema = z.object({
  first_name: z.string().trim().max(100),
  last_name: z.string().trim().max(100),
  title: z.string().trim().max(200),
  emails: z.string().refine((t) => list(t).every((e) => z.string().email().safeParse(e).success), "One of these isn't a valid email address."),
  phones: z.string(),
  lifecycle_stage: z.enum(["lead", "prospect", "customer", "churned"]),
});
type Values = z.infer<typeof schema>;

const toValues = (c: Contact): Values => ({
  first_name: c.first_name, last_name: c.last_name, title: c.title ?? "",
  emails: c.emails.join(", "), phones: c.phones.join(", "), lifecycle_stage: c.lifecycle_stage,
});

interface Props {
  contact: Contact;
  ownerName?: string;
  companyName?: string;
}

/** The contact's details; "Edit" turns them into a form in place. */
export function ContactDetails({ contact, ownerName, companyName }: Props) {
  const [editing, setEditing] = useState(false);
  const update = useUpdateContact(contact);
  const form = useForm<Values>({ resolver: zodResolver(schema), values: toValues(contact) });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await update.mutateAsync({
        first_name: v.first_name, last_name: v.last_name, title: v.title || null,
        emails: list(v.emails), phones: list(v.phones), lifecycle_stage: v.lifecycle_stage as Lifecycle,
      });
      setEditing(false);
    } catch {
      // update.error is on screen; a 412 has already reloaded the other person's version.
    }
  });

  if (!editing) {
    return (
      <section className="card" aria-labelledby="details-heading">
        <header className="card-header">
          <h2 id="details-heading">Details</h2>
          <button type="button" className="button button-secondary" onClick={() => { update.reset(); setEditing(true); }}>Edit</button>
        </header>
        {update.isSuccess && <p className="notice" role="status">Saved.</p>}
        <dl className="details">
          <dt>Email</dt><dd>{contact.emails.length ? contact.emails.map((e) => <a key={e} href={`mailto:${e}`}>{e}</a>) : "—"}</dd>
          <dt>Phone</dt><dd>{contact.phones.length ? contact.phones.map((p) => <a key={p} href={`tel:${p}`}>{p}</a>) : "—"}</dd>
          <dt>Job title</dt><dd>{contact.title || "—"}</dd>
          <dt>Stage</dt><dd>{LIFECYCLE_LABELS[contact.lifecycle_stage]}</dd>
          <dt>Company</dt><dd>{contact.company_id ? <Link to={`/companies/${contact.company_id}`}>{companyName ?? "Open company"}</Link> : "—"}</dd>
          <dt>Owner</dt><dd>{contact.owner_id ? (ownerName ?? "—") : "Unassigned"}</dd>
          <dt>Last contacted</dt><dd>{contact.last_contacted_at ? formatDateTime(contact.last_contacted_at) : "Never"}</dd>
        </dl>
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="details-heading">
      <h2 id="details-heading">Edit details</h2>
      <form className="record-form" onSubmit={onSubmit} noValidate>
        <div className="form-grid">
          <Field label="First name"><input type="text" {...form.register("first_name")} /></Field>
          <Field label="Last name"><input type="text" {...form.register("last_name")} /></Field>
          <Field label="Emails" hint="Separate several with commas." error={errors.emails?.message}><input type="text" {...form.register("emails")} /></Field>
          <Field label="Phones" hint="Separate several with commas."><input type="text" {...form.register("phones")} /></Field>
          <Field label="Job title"><input type="text" {...form.register("title")} /></Field>
          <Field label="Lifecycle stage">
            <select {...form.register("lifecycle_stage")}>
              {Object.entries(LIFECYCLE_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </Field>
        </div>
        {update.error && <ErrorMessage error={update.error} />}
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Save</button>
          <button type="button" className="button button-ghost" onClick={() => setEditing(false)}>Cancel</button>
        </div>
      </form>
    </section>
  );
}
