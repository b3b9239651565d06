import { Router } from "express";
import type { Catalog } from "../../domain/catalog";

export function catalogRoutes(catalog: Catalog): Router {
  const router = Router();
  // The home page is one cached array, the same object for every hit until the cache refreshes
  // it: serialize it once per refresh, not once per request (JSON.stringify was the largest item
  // in the profile of a cached read). Keyed weakly, so a replaced page's text goes with it.
  const serialized = new WeakMap<object, string>();
  router.get("/v1/catalog/home", async (_req, res) => {
    const { items, tier } = await catalog.home();
    let body = serialized.get(items);
    if (body === undefined) {
      body = JSON.stringify({ items });
      serialized.set(items, body);
    }
    res.setHeader("X-Cache-Tier", tier);
    res.type("json").send(body);
  });
  return router;
}
