export * from "./feed/index.ts";
