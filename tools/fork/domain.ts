import type { Problem } from "../../infra/lib/problems";
import {
  domainNameOf,
  type StackFileConfig,
  sameDomainName,
  stackFileName,
  valuesOf,
} from "../../stacks/config/siblings";
import type { ReviewNote } from "./relocate";

/** The source's public name and zone, as its validated config has them. */
export interface SourceEdge {
  readonly stack: string;
  readonly domainName: string;
  readonly hostedZoneId: string;
}

/** What the fork's edge becomes: its public name, its hosted zone, and what to check by hand. */
export interface ForkedEdge {
  readonly domainName: string;
  readonly hostedZoneId: string;
  readonly notes: ReviewNote[];
}

function parentOf(name: string): string | undefined {
  const dot = name.indexOf(".");
  const parent = dot < 0 ? "" : name.slice(dot + 1);
  // A parent of one label is a top-level domain: no hosted zone of Crest's sits there.
  return parent.includes(".") ? parent : undefined;
}

/**
 * Whether `name` can be presumed to live in the zone that holds `sourceName`: a name under it, or a
 * sibling (same parent). A zone holds every name under its apex; the sibling case assumes the apex
 * is the parent or above, not `sourceName` itself, which is why the kept zone is listed for review.
 */
function presumablySameZone(name: string, sourceName: string): boolean {
  const parent = parentOf(sourceName);
  return name.endsWith(`.${sourceName}`) || (parent !== undefined && name.endsWith(`.${parent}`));
}

/** A sibling of the source's name for the new stack, as an example: `api.x.com` → `api-<to>.x.com`. */
function exampleName(to: string, sourceName: string): string {
  const [label = "api"] = sourceName.split(".");
  const parent = parentOf(sourceName);
  return parent ? `${label}-${to}.${parent}` : `${to}.${sourceName}`;
}

/**
 * The new stack's public name (`--domain`) and hosted zone (`--hosted-zone-id`). The name is
 * required, as CloudFront serves an alias from one distribution only, and must be no other stack
 * file's. The zone defaults to the source's when the name presumably lives there (under the
 * source's name, or its sibling), and is required otherwise. Syntax is checked by the caller with
 * the components' own rules; this checks what needs the other stack files.
 */
export function forkEdge(
  request: { readonly to: string; readonly domain?: string; readonly hostedZoneId?: string },
  source: SourceEdge,
  others: readonly StackFileConfig[],
): { readonly edge?: ForkedEdge; readonly problems: Problem[] } {
  const sourceFile = stackFileName(source.stack);
  const domain = request.domain;
  if (domain === undefined) {
    return {
      problems: [
        {
          path: "--domain",
          value: undefined,
          allowed:
            `the new stack's public name (its CloudFront alias), e.g. "${exampleName(request.to, source.domainName)}": ` +
            `${sourceFile} serves "${source.domainName}", and CloudFront serves an alias from one distribution only`,
        },
      ],
    };
  }
  const problems: Problem[] = sameDomainName(domain, valuesOf(others, domainNameOf)).map((other) => ({
    path: "--domain",
    value: domain,
    allowed:
      `a name no other stack file sets (${stackFileName(other.stack)} sets it as crest:edge.domainName; ` +
      "CloudFront serves an alias from one distribution only)",
  }));
  if (request.hostedZoneId !== undefined) {
    const notes = request.hostedZoneId === source.hostedZoneId ? [keptZoneNote(source, domain)] : [];
    return { edge: { domainName: domain, hostedZoneId: request.hostedZoneId, notes }, problems };
  }
  if (!presumablySameZone(domain, source.domainName)) {
    problems.push({
      path: "--hosted-zone-id",
      value: undefined,
      allowed:
        `the Route 53 hosted zone that holds "${domain}": ${sourceFile}'s zone ${source.hostedZoneId} holds ` +
        `"${source.domainName}", and only a name under it or beside it (under ${parentOf(source.domainName) ?? source.domainName}) is presumed to live there`,
    });
  }
  return {
    edge: { domainName: domain, hostedZoneId: source.hostedZoneId, notes: [keptZoneNote(source, domain)] },
    problems,
  };
}

function keptZoneNote(source: SourceEdge, domain: string): ReviewNote {
  return {
    path: "crest:edge.hostedZoneId",
    value: source.hostedZoneId,
    message:
      `kept: ${source.stack}'s zone, which holds ${source.domainName}; ${domain} must be in it too (certificates ` +
      `are DNS-validated there) — check its apex with \`aws route53 get-hosted-zone --id ${source.hostedZoneId}\``,
  };
}
