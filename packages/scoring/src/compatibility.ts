export * from "./compatibility/index.ts";
