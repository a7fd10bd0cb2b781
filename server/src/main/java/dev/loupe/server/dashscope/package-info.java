/**
 * DashScope's native HTTP routes (contract section 7): {@code POST
 * /api/v1/services/aigc/multimodal-generation/generation} over {@link
 * dev.loupe.protocol.dashscope.DashScopeService}, and the refusal of the SDK's local-file upload.
 */
package dev.loupe.server.dashscope;
