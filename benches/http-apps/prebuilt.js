// The floor: a response made at build time. Every fresh instance has its
// own copy of it, unread, so each request returns a valid Response.
const response = Response.json({ hello: "world" });

export default {
  fetch(request) {
    return response;
  },
};
