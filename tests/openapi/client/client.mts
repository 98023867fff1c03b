// A client generated from /openapi.json (openapi-typescript types + openapi-fetch), used the
// way a third party would: register, sign in, create, edit with If-Match, vote, search, upload
// and list files, and read problem documents. Type-checked with tsc --strict before it runs, so
// a document a typed client cannot use fails here. run.mjs generates ./schema.d.ts.
//
//   node client.mjs http://127.0.0.1:PORT

import createClient, { type Middleware } from "openapi-fetch";

import type { components, paths } from "./schema.js";

type Problem = components["schemas"]["Problem"];

// The one Node.js global used; tools/ has no @types/node, and the rest is the web platform.
declare const process: { argv: string[] };

const baseUrl = process.argv[2];
if (!baseUrl) {
  throw new Error("usage: node client.mjs BASE_URL");
}

let step = "start";
function check(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Error(`${step}: ${message}`);
  }
}
function expectProblem(error: Problem | undefined, status: number, title: string): Problem {
  check(error !== undefined, `expected a ${status} problem, got success`);
  check(error.status === status, `status ${error.status}, expected ${status}: ${JSON.stringify(error)}`);
  check(error.title === title, `title ${JSON.stringify(error.title)}, expected ${JSON.stringify(title)}`);
  check(error.type === "about:blank", `type ${JSON.stringify(error.type)}`);
  return error;
}

const client = createClient<paths>({ baseUrl });

step = "registerUser";
const email = "ts-client@example.org";
const password = "Generated-Client-1";
{
  const { data, error, response } = await client.POST("/v1/users", {
    body: { email, password, username: "tsclient" },
  });
  check(response.status === 201, `status ${response.status}: ${JSON.stringify(error)}`);
  check(data !== undefined && data.email === email, `user ${JSON.stringify(data)}`);
}

step = "registerUser (invalid)";
{
  const { error, response } = await client.POST("/v1/users", {
    body: { email: "not-an-email", password: "short" },
  });
  const problem = expectProblem(error, 422, "Unprocessable Content");
  check(response.headers.get("content-type") === "application/problem+json", "problem content type");
  const fields = (problem.errors ?? []).map((entry) => entry.field).sort();
  check(fields.includes("email") && fields.includes("password"), `field errors ${JSON.stringify(fields)}`);
}

step = "login";
let tokens: components["schemas"]["TokenPair"];
{
  const { data, error } = await client.POST("/v1/login", { body: { email, password } });
  check(data !== undefined, `sign-in failed: ${JSON.stringify(error)}`);
  check(data.token_type === "bearer", `token type ${data.token_type}`);
  tokens = data;
}

step = "login (wrong password)";
{
  const { error } = await client.POST("/v1/login", { body: { email, password: "Wrong-password-1" } });
  expectProblem(error, 401, "Unauthorized");
}

step = "refreshToken";
{
  const { data, error } = await client.POST("/v1/token/refresh", {
    body: { refresh_token: tokens.refresh_token },
  });
  check(data !== undefined, `refresh failed: ${JSON.stringify(error)}`);
  check(data.refresh_token !== tokens.refresh_token, "the refresh token rotates");
  tokens = data;
}

const auth: Middleware = {
  onRequest({ request }) {
    request.headers.set("Authorization", `Bearer ${tokens.access_token}`);
    return request;
  },
};
client.use(auth);

step = "getCurrentUser";
{
  const { data, error } = await client.GET("/v1/users/me");
  check(data !== undefined && data.email === email, `me: ${JSON.stringify(data ?? error)}`);
}

step = "createPost";
let post: components["schemas"]["Post"];
let etag: string;
{
  // published is optional: the server defaults it to true.
  const { data, error, response } = await client.POST("/v1/posts", {
    body: { title: "Generated clients", content: "A typed client made from the zeppelin document" },
  });
  check(response.status === 201 && data !== undefined, `create: ${JSON.stringify(error)}`);
  check(data.published, "published defaults to true");
  post = data;
  etag = response.headers.get("etag") ?? "";
  check(etag !== "", "the created post has an ETag");
}

step = "updatePost (If-Match)";
{
  const { data, error, response } = await client.PUT("/v1/posts/{id}", {
    params: { path: { id: post.id }, header: { "If-Match": etag } },
    body: { title: "Generated clients, edited", content: post.content, published: true },
  });
  check(response.status === 200 && data !== undefined, `update: ${JSON.stringify(error)}`);
  check(data.title === "Generated clients, edited", `title ${data.title}`);
  const newEtag = response.headers.get("etag");
  check(newEtag !== null && newEtag !== etag, "the ETag changes with the post");
}

step = "updatePost (stale If-Match)";
{
  const { error } = await client.PUT("/v1/posts/{id}", {
    params: { path: { id: post.id }, header: { "If-Match": etag } },
    body: { title: "Lost update", content: post.content },
  });
  expectProblem(error, 412, "Precondition Failed");
  const { data } = await client.GET("/v1/posts/{id}", { params: { path: { id: post.id } } });
  check(data?.title === "Generated clients, edited", "a stale If-Match changes nothing");
}

step = "votePost";
{
  const { data, error, response } = await client.POST("/v1/vote", { body: { post_id: post.id, dir: 1 } });
  check(response.status === 201 && data !== undefined, `vote: ${JSON.stringify(error)}`);
  const again = await client.POST("/v1/vote", { body: { post_id: post.id, dir: 1 } });
  expectProblem(again.error, 409, "Conflict");
  const { data: voted } = await client.GET("/v1/posts/{id}", { params: { path: { id: post.id } } });
  check(voted?.votes === 1, `votes ${voted?.votes}`);
}

step = "listPosts";
{
  const { data, error } = await client.GET("/v1/posts", {
    params: { query: { search: "typed client", limit: 5, sort: "-votes" } },
  });
  check(data !== undefined, `list: ${JSON.stringify(error)}`);
  check(data.total === 1 && data.items[0]?.id === post.id, `list ${JSON.stringify(data)}`);
}

step = "search";
{
  const { data, error } = await client.GET("/v1/search", { params: { query: { q: "zeppelin" } } });
  check(data !== undefined, `search: ${JSON.stringify(error)}`);
  check(
    data.items.some((hit) => hit.kind === "post" && hit.id === post.id),
    `search hits ${JSON.stringify(data.items)}`,
  );
}

step = "uploadFile";
const filePath = "reports/generated-client.txt";
const fileText = "uploaded by the generated TypeScript client\n";
{
  const { data, error, response } = await client.PUT("/v1/files/{path}", {
    params: { path: { path: filePath } },
    body: fileText,
    bodySerializer: (body) => body,
    headers: { "Content-Type": "application/octet-stream" },
  });
  check(response.status === 201 && data !== undefined, `upload: ${response.status} ${JSON.stringify(error)}`);
  check(data.size_bytes === new TextEncoder().encode(fileText).length, `size ${data.size_bytes}`);
}

step = "listFiles";
{
  const { data, error } = await client.GET("/v1/files", { params: { query: { directory: "reports/" } } });
  check(data !== undefined, `list files: ${JSON.stringify(error)}`);
  check(
    data.files.some((file) => file.file_path === filePath),
    `files ${JSON.stringify(data.files)}`,
  );
}

step = "getPost (missing)";
{
  const { error, response } = await client.GET("/v1/posts/{id}", { params: { path: { id: 999999 } } });
  const problem = expectProblem(error, 404, "Not Found");
  check(response.headers.get("x-request-id") !== null, "errors carry X-Request-Id");
  check(typeof problem.detail === "string" && problem.detail.length > 0, "a 404 says why");
}

step = "deletePost";
{
  const { response } = await client.DELETE("/v1/posts/{id}", { params: { path: { id: post.id } } });
  check(response.status === 204, `delete: ${response.status}`);
}

console.log("ok: the generated client registered, signed in, wrote, voted, searched, uploaded and read problems");
