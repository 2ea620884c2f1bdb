import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface HttpOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  registry: Registry;
  /** The body of /healthz and whether it is healthy (200) or not (503). */
  health(): Promise<{ healthy: boolean; body: Record<string, unknown> }>;
}

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves GET /healthz (JSON) and GET /metrics (Prometheus text format). */
export async function startHttpServer(options: HttpOptions): Promise<HttpServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const respond = async () => {
      if (req.method !== "GET") return { status: 405, type: "text/plain", body: "GET only\n" };
      if (path === "/metrics") {
        return {
          status: 200,
          type: options.registry.contentType,
          body: await options.registry.metrics(),
        };
      }
      if (path === "/healthz") {
        const { healthy, body } = await options.health();
        return {
          status: healthy ? 200 : 503,
          type: "application/json",
          body: `${JSON.stringify(body)}\n`,
        };
      }
      return { status: 404, type: "text/plain", body: "not found: try /healthz or /metrics\n" };
    };
    respond().then(
      ({ status, type, body }) => res.writeHead(status, { "content-type": type }).end(body),
      (error: unknown) =>
        res
          .writeHead(500, { "content-type": "text/plain" })
          .end(`${error instanceof Error ? error.message : error}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
