package dev.loupe.models;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named model of the catalogue: a hub repository in the open_clip export layout.
 *
 * @param name the name {@code loupe models pull} takes, and the directory the model is installed in
 * @param repository the hub repository, {@code owner/name}
 * @param revision the branch, tag or commit downloaded; {@code main} in the builtin catalogue
 * @param description one line for {@code loupe models list}
 */
public record CatalogueEntry(String name, String repository, String revision, String description) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern REPOSITORY = Pattern.compile(NAME.pattern() + "/" + NAME.pattern());

  public CatalogueEntry {
    Objects.requireNonNull(description, "description");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("model name must be letters, digits, '.', '_' or '-', got: " + name);
    }
    if (repository == null || !REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("repository must be owner/name, got: " + repository);
    }
    if (revision == null || !NAME.matcher(revision).matches()) {
      throw new IllegalArgumentException("revision must be a branch, tag or commit name, got: " + revision);
    }
  }
}
