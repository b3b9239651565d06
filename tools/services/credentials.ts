import { randomBytes } from "node:crypto";

/** The user that the workload logs in as, on every MySQL shard and on Kafka (SCRAM), as in the stacks. */
export const serviceUser = "crest";

/** 144 random bits in URL-safe base64: no character that a URL, SQL literal or JAAS string must escape. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
