// The smallest HTTP app: a tiny JSON response (the load benchmark's handler).
export default {
  async fetch(request) {
    return Response.json({ hello: "world" });
  },
};
