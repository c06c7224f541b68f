// examples/http/hello.js without `async`: one Response.json per request.
export default {
  fetch(request) {
    return Response.json({ hello: "world" });
  },
};
