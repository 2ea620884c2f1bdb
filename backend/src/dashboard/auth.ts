import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/**
 * Who may act. Actions need FEED_JOBS_ADMIN_TOKEN: in `Authorization: Bearer <token>` (scripts;
 * `X-Operator` names who), or in a session cookie the login form sets (HttpOnly, SameSite=Strict,
 * signed with the token, so it names who logged in and dies when the token changes). Never in a URL.
 */

export interface Operator {
  name: string;
  via: "cookie" | "header";
}

export const SESSION_COOKIE = "feed_jobs_session";
const SESSION_MS = 12 * 3_600_000;
const MAX_NAME_LENGTH = 64;
/** Who a header-token request acted as when it sent no X-Operator. */
const HEADER_ACTOR = "admin token";

export interface Auth {
  /** False: FEED_JOBS_ADMIN_TOKEN is unset and the dashboard is read-only. */
  readonly enabled: boolean;
  /** The operator a request acts as, or null when it carries no valid token or session. */
  operatorOf(c: Context): Operator | null;
  /** Checks the token typed in the login form; true: the session cookie is set. */
  logIn(c: Context, name: string, token: string): boolean;
  logOut(c: Context): void;
}

export function createAuth(adminToken: string | undefined, clock: () => Date): Auth {
  if (!adminToken) {
    return { enabled: false, operatorOf: () => null, logIn: () => false, logOut: () => undefined };
  }
  const digest = (text: string) => createHash("sha256").update(text).digest();
  const expected = digest(adminToken);
  const tokenMatches = (given: string) => timingSafeEqual(digest(given), expected);
  const sign = (payload: string) =>
    createHmac("sha256", adminToken).update(payload).digest("base64url");

  function sessionOf(value: string | undefined): Operator | null {
    const [payload, signature] = (value ?? "").split(".");
    if (!payload || !signature || !timingSafeEqual(digest(signature), digest(sign(payload))))
      return null;
    const session = JSON.parse(Buffer.from(payload, "base64url").toString()) as {
      name: string;
      expires: number;
    };
    return session.expires > clock().getTime() ? { name: session.name, via: "cookie" } : null;
  }

  return {
    enabled: true,
    operatorOf(c) {
      const bearer = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
      if (bearer !== undefined) {
        if (!tokenMatches(bearer)) return null;
        return { name: operatorName(c.req.header("x-operator")) ?? HEADER_ACTOR, via: "header" };
      }
      return sessionOf(getCookie(c, SESSION_COOKIE));
    },
    logIn(c, name, token) {
      const operator = operatorName(name);
      if (!operator || !tokenMatches(token)) return false;
      const expires = clock().getTime() + SESSION_MS;
      const payload = Buffer.from(JSON.stringify({ name: operator, expires })).toString(
        "base64url",
      );
      setCookie(c, SESSION_COOKIE, `${payload}.${sign(payload)}`, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        secure: new URL(c.req.url).protocol === "https:",
        maxAge: SESSION_MS / 1000,
      });
      return true;
    },
    logOut: (c) => deleteCookie(c, SESSION_COOKIE, { path: "/" }),
  };
}

/** A name to record, trimmed and bounded; null when blank. */
function operatorName(raw: string | undefined): string | null {
  const name = raw?.trim().slice(0, MAX_NAME_LENGTH);
  return name ? name : null;
}

/**
 * Why a POST must be refused as cross-site, or null. Browsers say where a request comes from
 * (Sec-Fetch-Site, else Origin); a client that sends neither is not a browser and may act only
 * with the token in a header, which another site cannot make a browser send.
 */
export function crossSiteRefusal(c: Context, operator: Operator | null): string | null {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined) return site === "same-origin" ? null : `Sec-Fetch-Site is "${site}"`;
  const origin = c.req.header("origin");
  if (origin !== undefined) {
    return origin === new URL(c.req.url).origin ? null : `Origin "${origin}" is another site`;
  }
  return operator?.via === "header" ? null : "the request says neither its Origin nor its site";
}
