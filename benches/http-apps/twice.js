// Two Response.json per request: the second is what one costs warm.
export default {
  fetch(request) {
    Response.json({ hello: "world" });
    return Response.json({ hello: "world" });
  },
};
