import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Env, Hono } from "hono";

/**
 * The pages' scripts and styles, served from this process (never a CDN: the dashboard works
 * offline): uPlot from its package, and the dashboard's own script and style sheet.
 */
const uplotDist = join(
  dirname(createRequire(import.meta.url).resolve("uplot/package.json")),
  "dist",
);
const ownDir = join(dirname(fileURLToPath(import.meta.url)), "assets");

const ASSETS: Record<string, { file: string; type: string }> = {
  "uplot.iife.min.js": { file: join(uplotDist, "uPlot.iife.min.js"), type: "text/javascript" },
  "uplot.min.css": { file: join(uplotDist, "uPlot.min.css"), type: "text/css" },
  "dashboard.js": { file: join(ownDir, "dashboard.js"), type: "text/javascript" },
  "dashboard.css": { file: join(ownDir, "dashboard.css"), type: "text/css" },
};

export function serveAssets<E extends Env>(app: Hono<E>): void {
  const loaded = new Map(
    Object.entries(ASSETS).map(([name, asset]) => [
      name,
      { ...asset, body: readFileSync(asset.file) },
    ]),
  );
  app.get("/assets/:name", (c) => {
    const asset = loaded.get(c.req.param("name"));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, {
      "content-type": `${asset.type}; charset=utf-8`,
      "cache-control": "no-cache",
    });
  });
}
