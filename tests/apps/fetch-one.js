// One fetch of the URL given; the fetch tests run it with and without
// --allow-host.
export async function main([url]) {
  const res = await fetch(url);
  console.log(res.status, (await res.text()).length);
}
