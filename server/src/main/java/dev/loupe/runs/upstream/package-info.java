/**
 * The {@code openai-compatible} model backend: {@link dev.loupe.runs.upstream.UpstreamModel} runs a
 * turn against any server that speaks OpenAI's streamed {@code /chat/completions} with function
 * calling (vLLM, SGLang, Ollama, llama.cpp's server, hosted APIs), and runs {@code image_search}
 * locally whenever the model calls it. The one part of {@code runs} that knows a JSON wire shape:
 * the upstream's, as a client.
 */
package dev.loupe.runs.upstream;
