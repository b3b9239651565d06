// `npm run faults`: the app on real Redis, MariaDB shards and Kafka (loopback) under a bounded order
// load while each fault happens; reports what the clients were told against what was stored. Exit
// 0 every fault passed, 1 a fault lost, duplicated, stranded or oversold orders, 2 bad arguments,
// 3 the suite itself could not run.
import { faultsMain } from "./suite";

faultsMain(process.argv.slice(2));
