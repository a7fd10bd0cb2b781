/**
 * Loupe's own REST routes: health and model list, search by image ({@code POST /v1/images/search},
 * JSON or multipart), and adding, reading and deleting indexed images. {@link
 * dev.loupe.tools.HitJson} is the one JSON form of a search hit, shared with the command line.
 */
package dev.loupe.server.rest;
