/** RFC 9457 problem details from the API, and their wording for people. */

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  retry_after?: number;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Builds an ApiError from a failed response, whatever its body (problem+json, JSON or none). */
export async function problemFromResponse(response: Response): Promise<ApiError> {
  let body: Partial<Problem> = {};
  try {
    body = (await response.clone().json()) as Partial<Problem>;
  } catch {
    // A proxy's HTML error page or an empty body: the status alone has to do.
  }
  return new ApiError({ ...body, status: response.status });
}

function humanField(field: string): string {
  // "emails.0" is about the emails; list indexes mean nothing to a person.
  const last = field.split(".").filter((part) => !/^\d+$/.test(part)).pop() ?? field;
  const words = last.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One or two sentences a rep understands; never a stack trace or a status code alone. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    if (error instanceof TypeError) return "We can't reach Mancrel right now. Check your connection and try again.";
    return "Something went wrong. Please try again.";
  }
  const { status, detail, errors, retry_after } = error.problem;
  switch (status) {
    case 401:
      return detail ?? "Your session has ended. Please sign in again.";
    case 403:
      return "You don't have permission to do that.";
    case 404:
      return "We couldn't find that record. It may have been deleted, or it isn't shared with you.";
    case 409:
      return detail ?? "That clashes with a record that already exists.";
    case 412:
      return "Someone else changed this record while you were editing it. We've loaded their version; please make your change again.";
    case 422:
      if (errors?.length) return errors.map((e) => `${humanField(e.field)}: ${e.message}`).join(". ");
      return detail ?? "Some of the information isn't valid. Please check it and try again.";
    case 429:
      return `Too many attempts. Please wait ${retry_after ?? "a few"} seconds and try again.`;
    default:
      if (status >= 500) return "Something went wrong on our side. Please try again in a moment.";
      return detail ?? "That didn't work. Please try again.";
  }
}
