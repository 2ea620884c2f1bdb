/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Viewer } from "./components.tsx";

const NAV = [
  ["/", "Overview"],
  ["/runs", "Runs"],
  ["/queue", "Queue"],
  ["/schedules", "Schedules"],
  ["/trends", "Trends"],
] as const;

/** Every page: navigation, who is logged in, and the charts' and live progress' scripts. */
export function Page(props: { title: string; path: string; viewer: Viewer; children: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · feed-jobs`}</title>
          <link rel="stylesheet" href="/assets/uplot.min.css" />
          <link rel="stylesheet" href="/assets/dashboard.css" />
          <script src="/assets/uplot.iife.min.js" defer />
          <script src="/assets/dashboard.js" defer />
        </head>
        <body>
          <header>
            <nav>
              <strong class="brand">feed-jobs</strong>
              {NAV.map(([href, label]) => (
                <a href={href} class={href === props.path ? "active" : undefined}>
                  {label}
                </a>
              ))}
              <Session viewer={props.viewer} />
            </nav>
          </header>
          <main>
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

function Session({ viewer }: { viewer: Viewer }) {
  if (!viewer.adminEnabled) {
    return <span class="session muted">read-only (FEED_JOBS_ADMIN_TOKEN unset)</span>;
  }
  if (!viewer.operator) {
    return (
      <a class="session" href="/login">
        Log in
      </a>
    );
  }
  return (
    <form class="session" method="post" action="/logout">
      <span>{viewer.operator.name}</span> <button type="submit">Log out</button>
    </form>
  );
}

/** A page that only says something went wrong (bad filter, unknown id, refused action). */
export function Problem(props: { title: string; message: string; viewer: Viewer; back?: string }) {
  return (
    <Page title={props.title} path="" viewer={props.viewer}>
      <p class="problem">{props.message}</p>
      <p>
        <a href={props.back ?? "/"}>Back</a>
      </p>
    </Page>
  );
}
