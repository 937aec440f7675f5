export * as torch from "./torch";
export * as d2l from "./d2l/index";
