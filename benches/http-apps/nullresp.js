// The floor (prebuilt.js), plus one body-less Response per request.
const response = Response.json({ hello: "world" });

export default {
  fetch(request) {
    new Response(null);
    return response;
  },
};
