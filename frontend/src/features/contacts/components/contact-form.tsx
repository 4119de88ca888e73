import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { ApiError } from "@/lib/problem";
import { useCreateContact } from "../api/create-contact";
import { LIFECYCLE_LABELS, type Contact, type Lifecycle } from "../types";

const schema = z
  .object({
    first_name: z.string().trim().max(100),
    last_name: z.string().trim().max(100),
    email: z.union([z.literal(""), z.string().trim().email("Enter a valid email address.")]),
    phone: z.string().trim().max(32),
    title: z.string().trim().max(200),
    lifecycle_stage: z.enum(["lead", "prospect", "customer", "churned"]),
  })
  .refine((v) => v.first_name || v.last_name || v.email, { message: "Give at least a name or an email.", path: ["first_name"] });
type Values = z.infer<typeof schema>;

interface Props {
  companyId?: string;
  onCreated: (contact: Contact) => void;
  onCancel: () => void;
}

export function ContactForm({ companyId, onCreated, onCancel }: Props) {
  const create = useCreateContact();
  const [duplicate, setDuplicate] = useState(false);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { first_name: "", last_name: "", email: "", phone: "", title: "", lifecycle_stage: "lead" },
  });
  const { errors } = form.formState;

  const save = (allowDuplicate: boolean) => form.handleSubmit(async (v) => {
    try {
      const contact = await create.mutateAsync({
        allowDuplicate,
        body: {
          first_name: v.first_name, last_name: v.last_name, title: v.title || null,
          emails: v.email ? [v.email] : [], phones: v.phone ? [v.phone] : [],
          lifecycle_stage: v.lifecycle_stage as Lifecycle, company_id: companyId ?? null,
        },
      });
      onCreated(contact);
    } catch (error) {
      // The same email or phone on another contact: let the rep decide.
      setDuplicate(error instanceof ApiError && error.status === 409);
    }
  });

  return (
    <form className="record-form" onSubmit={save(false)} noValidate aria-label="New contact">
      <div className="form-grid">
        <Field label="First name" error={errors.first_name?.message}><input type="text" autoFocus {...form.register("first_name")} /></Field>
        <Field label="Last name"><input type="text" {...form.register("last_name")} /></Field>
        <Field label="Email" error={errors.email?.message}><input type="email" {...form.register("email")} /></Field>
        <Field label="Phone" error={errors.phone?.message}><input type="tel" {...form.register("phone")} /></Field>
        <Field label="Job title"><input type="text" {...form.register("title")} /></Field>
        <Field label="Lifecycle stage">
          <select {...form.register("lifecycle_stage")}>
            {Object.entries(LIFECYCLE_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </Field>
      </div>
      {create.error && <ErrorMessage error={create.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Create contact</button>
        {duplicate && <button type="button" className="button button-secondary" onClick={save(true)}>Create anyway</button>}
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
