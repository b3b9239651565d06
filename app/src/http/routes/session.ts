import { Router } from "express";
import { z } from "zod";
import type { SessionService } from "../../domain/session";
import { parseInput } from "../validation";

const body = z.strictObject({
  code: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, "the wx.login() code: 1-128 characters of A-Z a-z 0-9 _ -"),
});

export function sessionRoutes(sessions: SessionService): Router {
  const router = Router();
  router.post("/v1/session", async (req, res) => {
    const { code } = parseInput(body, req.body, "body");
    res.status(201).json(await sessions.exchange(code));
  });
  return router;
}
