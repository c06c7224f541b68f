// The floor (prebuilt.js), plus one TextEncoder.encode per request.
const response = Response.json({ hello: "world" });
const encoder = new TextEncoder();

export default {
  fetch(request) {
    encoder.encode("hi");
    return response;
  },
};
