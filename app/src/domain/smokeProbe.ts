/**
 * The smoke command's order: an unlisted SKU with stock for a billion runs, bought by a reserved
 * user id that WeChat openids (28 characters) can never take. The schema migration creates the SKU.
 */
export const smokeProbe = {
  sku: "smoke-probe",
  userId: "crest-smoke-probe",
  name: "Smoke probe (not for sale)",
  stock: 1_000_000_000,
} as const;
