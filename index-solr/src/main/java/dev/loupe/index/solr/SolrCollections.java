package dev.loupe.index.solr;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.LikenessDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;

/**
 * Loupe's configset and the collection that uses it: uploads the configset when the cluster lacks
 * it, creates the collection when it does not exist, and refuses a collection made with another
 * configset version (its fields would not be the ones this Loupe writes and reads).
 *
 * <p>The configset's name carries its version ({@value #CONFIGSET}); a change to the schema or
 * solrconfig gets a new version, uploaded beside the old one, and an existing collection is
 * reindexed into a new collection (docs/index-solr.md).
 */
final class SolrCollections {
  /** The configset version this Loupe writes; part of the configset's name. */
  static final int VERSION = 1;
  static final String CONFIGSET = "loupe-images-v" + VERSION;
  private static final String RESOURCES = "/dev/loupe/index/solr/configset/";

  private SolrCollections() {}

  /** The vector sizes Loupe writes: the descriptor's and the likeness descriptor's. */
  static TreeSet<Integer> defaultVectorSizes() {
    return new TreeSet<>(List.of(FeatureExtractor.DESCRIPTOR_DIMENSIONS, LikenessDescriptor.DIMENSIONS));
  }

  /**
   * The configset's name for these vector sizes: {@value #CONFIGSET} for the sizes Loupe writes,
   * with the sizes appended for others (a Solr field type has one vector size).
   */
  static String configsetName(TreeSet<Integer> vectorSizes) {
    if (vectorSizes.equals(defaultVectorSizes())) {
      return CONFIGSET;
    }
    StringBuilder name = new StringBuilder(CONFIGSET);
    vectorSizes.forEach(d -> name.append("-d").append(d));
    return name.toString();
  }

  /** The configset as a zip: schema.xml with a vector field type per size, and solrconfig.xml. */
  static byte[] configsetZip(TreeSet<Integer> vectorSizes) throws IOException {
    StringBuilder types = new StringBuilder();
    StringBuilder fields = new StringBuilder();
    for (int size : vectorSizes) {
      types.append("  <fieldType name=\"knn").append(size).append("\" class=\"solr.DenseVectorField\" vectorDimension=\"")
          .append(size).append("\" similarityFunction=\"dot_product\" knnAlgorithm=\"hnsw\"/>\n");
      fields.append("  <dynamicField name=\"*_v").append(size).append("\" type=\"knn").append(size)
          .append("\" indexed=\"true\" stored=\"false\"/>\n");
    }
    String schema = resource("schema.xml").replace("<!-- VECTOR_TYPES -->\n", types)
        .replace("<!-- VECTOR_FIELDS -->\n", fields);
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      for (Map.Entry<String, String> file : Map.of("schema.xml", schema, "solrconfig.xml", resource("solrconfig.xml"))
          .entrySet()) {
        out.putNextEntry(new ZipEntry(file.getKey()));
        out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return zip.toByteArray();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SolrCollections.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("missing configset resource " + RESOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Makes sure the address's collection exists with this configset version.
   *
   * @throws IOException when the cluster refuses, or the collection uses another configset
   */
  static void ensure(CloudSolrClient client, SolrIndexAddress address, TreeSet<Integer> vectorSizes) throws IOException {
    String name = address.collection();
    String configset = configsetName(vectorSizes);
    try {
      if (CollectionAdminRequest.listCollections(client).contains(name)) {
        checkConfigset(client, name, configset);
        return;
      }
      if (!new ConfigSetAdminRequest.List().process(client).getConfigSets().contains(configset)) {
        ContentStreamBase.ByteArrayStream zip = new ContentStreamBase.ByteArrayStream(configsetZip(vectorSizes),
            configset + ".zip", "application/octet-stream");
        new ConfigSetAdminRequest.Upload().setConfigSetName(configset).setUploadStream(zip).process(client);
      }
      int liveNodes = client.getClusterStateProvider().getLiveNodes().size();
      int shards = address.shards() != null ? address.shards() : 2;
      int replicas = address.replicas() != null ? address.replicas() : Math.max(1, Math.min(2, liveNodes));
      try {
        CollectionAdminRequest.createCollection(name, configset, shards, replicas).process(client);
      } catch (Exception e) {
        // Another process may have created it meanwhile: then it is there now.
        if (!CollectionAdminRequest.listCollections(client).contains(name)) {
          throw new IOException("cannot create the Solr collection " + name + " (" + shards + " shards, " + replicas
              + " replicas on " + liveNodes + " live nodes): " + e.getMessage(), e);
        }
      }
      checkConfigset(client, name, configset);
    } catch (SolrServerException e) {
      throw new IOException("cannot reach the Solr cluster at " + address + ": " + e.getMessage(), e);
    }
  }

  private static void checkConfigset(CloudSolrClient client, String name, String configset)
      throws IOException, SolrServerException {
    NamedList<Object> status = CollectionAdminRequest.getClusterStatus().setCollectionName(name).process(client)
        .getResponse();
    Object config = status._get(List.of("cluster", "collections", name, "configName"), null);
    if (!configset.equals(config)) {
      throw new IOException("the Solr collection " + name + " uses the configset " + config + ", not " + configset
          + " that this Loupe reads and writes: index into a new collection (docs/index-solr.md, Upgrading)");
    }
  }
}
