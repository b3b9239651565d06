// `npm run bench`: the app on real Redis, MariaDB shards and Kafka (loopback) against a bare
// Express baseline, the order pipeline, and plan time against resources. Prints figures and writes
// them to bench/results; it exits non-zero only when something breaks, never because of a figure.
import { benchMain } from "./run";

benchMain(process.argv.slice(2));
