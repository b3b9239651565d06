import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { BenchDocument } from "../bench/results";
import { capacityProfileOf, writeCapacityProfile } from "./profile";

// Derives bench/capacity-profile.json from an existing bench results file (default the latest run):
// `node --import tsx tools/capacity/writeProfile.ts [bench/results/<run>.json]`.
const source = process.argv[2] ?? "bench/results/latest.json";
const doc = JSON.parse(readFileSync(source, "utf8")) as BenchDocument;
writeCapacityProfile(capacityProfileOf(doc, relative(process.cwd(), source)));
