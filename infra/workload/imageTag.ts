import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Folders that never reach an image through COPY: dependencies are installed inside the build. */
function skipped(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => !skipped(entry.name))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

/**
 * An image tag derived from the bytes of the Dockerfile and the sources it copies: the same sources
 * always give the same tag, and any change gives a new one. Known at plan time (unlike the digest),
 * so a plan shows which image a deploy ships; never `latest`, so ECR's immutable tags hold.
 */
export function contentTag(context: string, dockerfile: string, sources: readonly string[]): string {
  const files = [
    ...new Set([join(context, dockerfile), ...sources.flatMap((s) => filesUnder(join(context, s)))]),
  ]
    .map((file) => ({ file, name: relative(context, file).split(sep).join("/") }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash("sha256");
  for (const { file, name } of files) {
    const bytes = readFileSync(file);
    hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  }
  return `src-${hash.digest("hex").slice(0, 20)}`;
}
