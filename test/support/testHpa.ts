import type { HpaSettings } from "../../tools/capacity/hpa";

/** An HPA for hand-computed capacity examples: +4 pods per 15 s up, −10 % a minute after 5 minutes down. */
export const testHpa: HpaSettings = {
  minReplicas: 2,
  maxReplicas: 20,
  targetUtilization: 60,
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [{ type: "Pods", value: 4, periodSeconds: 15 }],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: "Max",
    policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
  },
};
