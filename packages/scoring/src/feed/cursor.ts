import type { RankPosition } from "./types.ts";

/**
 * What a page's cursor carries: the weights version and the clock of the first page (later
 * pages rank as of that clock, so freshness does not reorder them), where the page ended, and
 * how many items the pages so far served (the next page's ranks continue from there).
 */
export interface FeedCursor {
  readonly weightsVersion: string;
  readonly rankedAt: Date;
  readonly after: RankPosition;
  readonly served: number;
}

/** A cursor that was not made by {@link encodeCursor}, or was damaged on the way. */
export class InvalidCursorError extends Error {
  constructor(reason: string) {
    super(`invalid feed cursor: ${reason}`);
    this.name = "InvalidCursorError";
  }
}

interface CursorJson {
  v: string;
  t: number;
  s: number;
  p: string;
  n: number;
}

/** An opaque, URL-safe token (base64url of a small JSON object; scores round-trip exactly). */
export function encodeCursor(cursor: FeedCursor): string {
  const json: CursorJson = {
    v: cursor.weightsVersion,
    t: cursor.rankedAt.getTime(),
    s: cursor.after.score,
    p: cursor.after.postId,
    n: cursor.served,
  };
  return Buffer.from(JSON.stringify(json), "utf8").toString("base64url");
}

/** Parses a token from {@link encodeCursor}; throws {@link InvalidCursorError} otherwise. */
export function decodeCursor(token: string): FeedCursor {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidCursorError("not a cursor token");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError("not a cursor token");
  }
  if (!isCursorJson(parsed)) throw new InvalidCursorError("missing or malformed fields");
  return {
    weightsVersion: parsed.v,
    rankedAt: new Date(parsed.t),
    after: { score: parsed.s, postId: parsed.p },
    served: parsed.n,
  };
}

function isCursorJson(value: unknown): value is CursorJson {
  if (typeof value !== "object" || value === null) return false;
  const { v, t, s, p, n } = value as Record<string, unknown>;
  return (
    typeof v === "string" &&
    v !== "" &&
    typeof t === "number" &&
    Number.isSafeInteger(t) &&
    typeof s === "number" &&
    Number.isFinite(s) &&
    typeof p === "string" &&
    p !== "" &&
    typeof n === "number" &&
    Number.isSafeInteger(n) &&
    n > 0
  );
}
