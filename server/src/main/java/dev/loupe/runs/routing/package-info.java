/**
 * Which backend answers which model name: {@link dev.loupe.runs.routing.ModelRoutes}, an ordered
 * list of glob rules read from a JSON file and environment variables by {@link
 * dev.loupe.runs.routing.RoutesConfig}, sending each request to the builtin model or to an
 * OpenAI-compatible upstream.
 */
package dev.loupe.runs.routing;
