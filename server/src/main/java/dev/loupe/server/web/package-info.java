/**
 * The web pages of {@code loupe serve}: search by image at {@code /}, the Responses playground at
 * {@code /playground} and the collection at {@code /collection}, hand-written HTML, CSS and ES
 * modules served from the server jar. The pages themselves are public; the API calls they make
 * carry the key the user types in.
 */
package dev.loupe.server.web;
