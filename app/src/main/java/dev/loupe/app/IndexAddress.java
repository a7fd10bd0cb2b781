package dev.loupe.app;

import dev.loupe.engine.IndexOpener;
import dev.loupe.index.solr.SolrImageIndex;
import dev.loupe.index.solr.SolrIndexAddress;

/**
 * The {@code --index} address: which backend holds the images. Only a SolrCloud collection can be
 * named; without an address the engine uses its embedded index.
 */
final class IndexAddress {
  private IndexAddress() {}

  /**
   * The opener for {@code address}, parsed now so that a malformed address fails before anything
   * is opened.
   *
   * @throws IllegalArgumentException naming the address and what is wrong with it
   */
  static IndexOpener opener(String address) {
    if (!address.startsWith("solr://") && !address.startsWith("solr+zk://")) {
      throw new IllegalArgumentException("--index must be a SolrCloud address, solr://HOST:PORT[,HOST:PORT...]/COLLECTION "
          + "or solr+zk://HOST:PORT[,HOST:PORT...][/CHROOT]/COLLECTION (without it the embedded index is used), got: "
          + address);
    }
    SolrIndexAddress parsed = SolrIndexAddress.parse(address);
    return dataDir -> SolrImageIndex.open(parsed);
  }
}
