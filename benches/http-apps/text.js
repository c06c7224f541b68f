// A text response made per request.
export default {
  fetch(request) {
    return new Response("hi");
  },
};
