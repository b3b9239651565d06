import { z } from "zod";
import { integer } from "../lib/schema";

/** Kafka's legal topic characters and length (`Topic.validate` in Apache Kafka). */
const topicNamePattern = /^[a-zA-Z0-9._-]{1,249}$/;
const maxTopicPartitions = 10000;

/**
 * One topic created through MSK's topic API. The name's rules across topics (no '.'/'_' twins) are
 * checked over the whole list, in `kafkaClusterArgsProblems`.
 */
export const kafkaTopicSchema = z.object({
  name: z
    .string()
    .regex(topicNamePattern)
    .refine((name) => name !== "." && name !== "..")
    .describe('Topic name: 1–249 of a-z A-Z 0-9 . _ -, not "." or "..".'),
  partitions: integer(1, maxTopicPartitions).describe(
    "Partitions of the topic: the ceiling on its consumers' parallelism.",
  ),
});

export type KafkaTopic = Readonly<z.input<typeof kafkaTopicSchema>>;
