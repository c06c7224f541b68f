// The module exports no `main`: `jspkg build` must say so and fail.
export function start() {
  console.log("I am not main");
}
export const mainly = 1;
