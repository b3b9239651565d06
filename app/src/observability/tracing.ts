/**
 * OpenTelemetry tracing, on only when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; the exporter reads the
 * standard OTEL_* variables). It must start before the instrumented libraries are loaded, so
 * main.ts calls it first and loads everything else afterwards. Without an endpoint nothing of
 * OpenTelemetry is even loaded.
 */
export async function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<(() => Promise<void>) | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  const [{ NodeSDK }, { OTLPTraceExporter }, http, express, ioredis, mysql2] = await Promise.all([
    import("@opentelemetry/sdk-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/instrumentation-http"),
    import("@opentelemetry/instrumentation-express"),
    import("@opentelemetry/instrumentation-ioredis"),
    import("@opentelemetry/instrumentation-mysql2"),
  ]);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || serviceName,
    traceExporter: new OTLPTraceExporter(),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new http.HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => ["/healthz", "/readyz", "/metrics"].includes(req.url ?? ""),
      }),
      new express.ExpressInstrumentation(),
      new ioredis.IORedisInstrumentation(),
      new mysql2.MySQL2Instrumentation(),
    ],
  });
  sdk.start();
  return () => sdk.shutdown();
}
