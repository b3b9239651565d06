import { createHash } from "node:crypto";
import { Router } from "express";
import type { Catalog } from "../../domain/catalog";

interface SerializedPage {
  readonly body: Buffer;
  readonly etag: string;
}

export function catalogRoutes(catalog: Catalog): Router {
  const router = Router();
  // The home page is one cached array, the same object for every hit until the cache refreshes
  // it: serialize and hash it once per refresh, not once per request (JSON.stringify, then
  // res.send's ETag hash and charset handling were the largest items in the profile of a cached
  // read). Keyed weakly, so a replaced page's bytes go with it.
  const serialized = new WeakMap<object, SerializedPage>();
  router.get("/v1/catalog/home", async (req, res) => {
    const { items, tier } = await catalog.home();
    let page = serialized.get(items);
    if (page === undefined) {
      const body = Buffer.from(JSON.stringify({ items }));
      page = { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
      serialized.set(items, page);
    }
    res.setHeader("X-Cache-Tier", tier);
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.setHeader("ETag", page.etag);
    // A client (or the CDN) holding this page revalidates it for a 304 without the body.
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.setHeader("Content-Length", page.body.length);
    res.end(page.body);
  });
  return router;
}
