import * as pulumi from "@pulumi/pulumi";
import { describeProblem, type Problem } from "../../infra/lib/problems";

/**
 * Stack config that cannot be deployed. A RunError, so `pulumi up` prints the lines without a stack
 * trace; the offline plan prints the same lines and exits with code 2.
 */
export class StackConfigError extends pulumi.RunError {
  public readonly problems: readonly Problem[];

  constructor(stack: string, problems: readonly Problem[]) {
    super(
      `stack "${stack}" has ${problems.length} config problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map(describeProblem).join("\n"),
    );
    this.name = "StackConfigError";
    this.problems = problems;
  }

  static is(error: unknown): error is StackConfigError {
    return error instanceof StackConfigError;
  }
}
