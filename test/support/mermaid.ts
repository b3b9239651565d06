import { JSDOM } from "jsdom";

/**
 * Parses a Mermaid diagram with Mermaid's own parser (the `mermaid` package, as GitHub renders it).
 * Mermaid loads DOMPurify, which needs a DOM: jsdom provides one, so the parse runs in Node.
 * Throws Mermaid's parse error for text it would not render.
 */
export async function parseMermaid(text: string): Promise<{ diagramType: string }> {
  if (!("window" in globalThis)) {
    const { window } = new JSDOM("<!doctype html><html><body></body></html>");
    Object.assign(globalThis, { window, document: window.document });
  }
  const { default: mermaid } = await import("mermaid");
  const result = await mermaid.parse(text);
  if (!result) throw new Error("mermaid.parse returned false");
  return result;
}

/** The body of the first ```mermaid block of a Markdown document. */
export function mermaidBlock(markdown: string): string {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (block === undefined) throw new Error("no ```mermaid block in the report");
  return block;
}
