package dev.loupe.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The named models {@code loupe models pull} knows, read from the {@code catalogue.json} resource
 * next to this class: for each, the hub repository and revision. It lists no checksums: those come
 * from the hub's own file listing at download time (see {@link ModelHub}).
 *
 * @param hub the hub downloaded from unless a mirror is given ({@code https://huggingface.co})
 * @param entries the models, in the catalogue's order
 */
public record ModelCatalogue(URI hub, List<CatalogueEntry> entries) {
  public ModelCatalogue {
    entries = List.copyOf(entries);
  }

  /** The catalogue shipped with Loupe. */
  public static ModelCatalogue builtin() {
    try (InputStream in = ModelCatalogue.class.getResourceAsStream("catalogue.json")) {
      if (in == null) {
        throw new IllegalStateException("catalogue.json is missing from the classpath");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      List<CatalogueEntry> entries = new ArrayList<>();
      for (JsonNode model : root.path("models")) {
        entries.add(new CatalogueEntry(model.path("name").asText(), model.path("repository").asText(),
            model.path("revision").asText(), model.path("description").asText()));
      }
      return new ModelCatalogue(URI.create(root.path("hub").asText()), entries);
    } catch (IOException e) {
      throw new UncheckedIOException("catalogue.json is unreadable", e);
    }
  }

  /** The entry named {@code name} (exact match), if any. */
  public Optional<CatalogueEntry> find(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The names, comma-separated, for messages. */
  public String names() {
    return String.join(", ", entries.stream().map(CatalogueEntry::name).toList());
  }
}
