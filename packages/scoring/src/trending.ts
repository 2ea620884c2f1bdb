export * from "./trending/index.ts";
