import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface HttpOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  registry: Registry;
  /** The body of /healthz and whether it is healthy (200) or not (503). */
  health(): Promise<{ healthy: boolean; body: Record<string, unknown> }>;
  log(line: string): void;
  /** Answers every other path (the dashboard). Default: 404. */
  otherPaths?: (req: IncomingMessage, res: ServerResponse) => unknown;
}

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves GET /healthz (JSON) and GET /metrics (Prometheus text format), and hands other paths
 * to `otherPaths`. A port already in use (another scheduler on this machine) leaves this
 * scheduler without HTTP, said in the log, and gives null: scheduling is safe twice, so that is
 * no reason to stop.
 */
export async function startHttpServer(options: HttpOptions): Promise<HttpServer | null> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (options.otherPaths && path !== "/metrics" && path !== "/healthz") {
      options.otherPaths(req, res);
      return;
    }
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    options.log(
      `warning: port ${options.port} on ${options.host} is in use (another scheduler?): this scheduler does not serve /healthz, /metrics or the dashboard; start it with --port to serve them elsewhere`,
    );
    return null;
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
