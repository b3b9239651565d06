import { Router } from "express";
import type { Catalog } from "../../domain/catalog";

export function catalogRoutes(catalog: Catalog): Router {
  const router = Router();
  router.get("/v1/catalog/home", async (_req, res) => {
    const { items, tier } = await catalog.home();
    res.setHeader("X-Cache-Tier", tier);
    res.json({ items });
  });
  return router;
}
