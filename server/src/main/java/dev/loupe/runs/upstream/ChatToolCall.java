package dev.loupe.runs.upstream;

/**
 * A function call the upstream model made, assembled from its streamed fragments.
 *
 * @param id the upstream's call id, echoed in the {@code role: tool} answer
 * @param name the function's name
 * @param arguments the arguments as the model wrote them: JSON text, not yet checked
 */
record ChatToolCall(String id, String name, String arguments) {}
