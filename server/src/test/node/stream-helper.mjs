// Runs one image_search request through openai-node's responses.stream() helper, which checks the
// event order and item identities far more strictly than plain iteration (api-contract 3.5), and
// prints what it saw as one JSON line for the Java test to compare.
//
// Environment: LOUPE_BASE_URL (e.g. http://127.0.0.1:8080/compatible-mode/v1), DASHSCOPE_API_KEY,
// LOUPE_IMAGE_URL (the image to search by).
import OpenAI from "openai";

const client = new OpenAI({
  apiKey: process.env.DASHSCOPE_API_KEY,
  baseURL: process.env.LOUPE_BASE_URL,
  maxRetries: 0,
});

const stream = client.responses.stream({
  model: "qwen3.7-plus",
  input: [
    {
      role: "user",
      content: [
        { type: "input_text", text: "Find landscape images with a style similar to this one" },
        { type: "input_image", image_url: process.env.LOUPE_IMAGE_URL },
      ],
    },
  ],
  tools: [{ type: "image_search" }],
});

const types = [];
let deltas = "";
let snapshot = "";
stream.on("event", (event) => types.push(event.type));
stream.on("response.output_text.delta", (event) => {
  deltas += event.delta;
  // The helper's own accumulation of the part, to compare with the plain concatenation.
  snapshot = event.snapshot;
});

const final = await stream.finalResponse();
console.log(JSON.stringify({
  types,
  deltas,
  snapshot,
  outputText: final.output_text,
  status: final.status,
  id: final.id,
  outputTypes: final.output.map((item) => item.type),
  usage: final.usage,
}));
