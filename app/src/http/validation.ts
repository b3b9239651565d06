import type { z } from "zod";
import { InvalidInputError } from "../domain/errors";
import { describeIssue } from "../inputIssues";

export type InputLocation = "body" | "params" | "query" | "headers";

/** Parses one part of a request; the first problem becomes a 400 naming the field and the value. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, location: InputLocation): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new InvalidInputError(location, "invalid");
  const { field, problem } = describeIssue(issue, value, [location]);
  throw new InvalidInputError(field, problem);
}
