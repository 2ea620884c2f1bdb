export * from "./match/index.ts";
