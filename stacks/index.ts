// Pulumi's entry point (Pulumi.yaml `main`). Config is read and validated before any resource is
// declared; a bad stack file stops here with one line per problem.
import { loadStackConfig } from "./config/load";
import { definePlatform } from "./platform";

export = async () => definePlatform(loadStackConfig());
