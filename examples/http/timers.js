// Timers in a handler: the response waits for what the handler awaits;
// a timer still pending when the response is sent is dropped with the
// instance (jspkg serve, wasmtime serve), where node's server keeps it.

const sleep = (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value));

export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === "/sleep") {
      const order = [];
      setTimeout(() => order.push("timeout 5"), 5);
      queueMicrotask(() => order.push("microtask"));
      order.push(await sleep(20, "slept 20"));
      order.push(...(await Promise.all([sleep(10, "b"), sleep(1, "a")])));
      return Response.json({ order }, { headers: { "x-timers": "yes" } });
    }
    if (pathname === "/interval") {
      const ticks = Number(searchParams.get("ticks") ?? 3);
      const seen = await new Promise((resolve) => {
        let n = 0;
        const id = setInterval(() => {
          if (++n === ticks) {
            clearInterval(id);
            resolve(n);
          }
        }, 2);
      });
      return new Response(`ticked ${seen} times\n`);
    }
    if (pathname === "/late") {
      setTimeout(() => console.log("late timer ran for", searchParams.get("id")), 30);
      return new Response("answered before the timer\n");
    }
    return new Response("not found\n", { status: 404 });
  },
};
