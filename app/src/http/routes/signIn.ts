import { type RequestHandler, Router } from "express";
import type { DailySignIn } from "../../domain/signIn";
import { emptyBody } from "../inputs";
import { parseInput } from "../validation";

export function signInRoutes(signIn: DailySignIn, authenticated: RequestHandler): Router {
  const router = Router();
  router.post("/v1/sign-in", authenticated, async (req, res) => {
    parseInput(emptyBody, req.body, "body");
    const result = await signIn.signIn(res.locals.userId as string);
    res.status(result.granted ? 201 : 200).json(result);
  });
  return router;
}
