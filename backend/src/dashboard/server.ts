import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, serve } from "@hono/node-server";
import type { Dashboard } from "./app.tsx";

export interface DashboardServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the dashboard on its own (`pnpm job dashboard`); port 0 picks a free one. */
export function serveDashboard(
  app: Dashboard,
  address: { host: string; port: number },
): Promise<DashboardServer> {
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: app.fetch,
      hostname: address.host,
      port: address.port,
    }) as Server;
    server.once("error", reject);
    server.once("listening", () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            // Open pages poll and keep connections alive: do not wait for them.
            server.closeAllConnections();
          }),
      }),
    );
  });
}

/** The dashboard as a Node request handler, for a server that serves other paths too (the scheduler's). */
export function dashboardListener(app: Dashboard) {
  return getRequestListener(app.fetch);
}
