/**
 * Named embedding models and their download: a small catalogue of model repositories in the open_clip
 * export layout ({@link dev.loupe.models.ModelCatalogue}), a client for a Hugging Face hub or a mirror
 * of it that lists a repository's files with their checksums and downloads them with resume ({@link
 * dev.loupe.models.ModelHub}), and the models directory where pulled models are installed, listed
 * and verified ({@link dev.loupe.models.ModelStore}). Nothing here is called implicitly: only the
 * {@code loupe models} command downloads.
 */
package dev.loupe.models;
