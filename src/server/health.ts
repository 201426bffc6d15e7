/** One line of `GET /health`: a component and whether it is fine, with the reason when it is not. */
export interface HealthCheck {
  /** What was checked, e.g. `sink:collector` or `file:/var/log/ticloud/debug.log`. */
  name: string;
  ok: boolean;
  /** Why it is unhealthy, in words an operator can act on. */
  reason?: string;
}

/** Called on each `GET /health`; the daemon is healthy when every check is ok. */
export type HealthProbe = () => HealthCheck[] | Promise<HealthCheck[]>;

/** The body of `GET /health`. */
export interface HealthReport {
  status: "ok" | "unhealthy";
  /** The reasons of the failing checks, one per check. */
  reasons: string[];
  checks: HealthCheck[];
  uptimeSeconds: number;
}

export async function healthReport(probe: HealthProbe | undefined, startedAt: number): Promise<HealthReport> {
  let checks: HealthCheck[];
  try {
    checks = probe ? await probe() : [];
  } catch (error) {
    // A probe that throws is itself a sign the daemon is not well; report it rather than answer 500.
    checks = [{ name: "health-probe", ok: false, reason: error instanceof Error ? error.message : String(error) }];
  }
  const failing = checks.filter((check) => !check.ok);
  return {
    status: failing.length === 0 ? "ok" : "unhealthy",
    reasons: failing.map((check) => `${check.name}: ${check.reason ?? "unhealthy"}`),
    checks,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
}
