package dev.loupe.index;

import static dev.loupe.index.ImageDocuments.F_DOMAIN;
import static dev.loupe.index.ImageDocuments.F_FIRST;
import static dev.loupe.index.ImageDocuments.F_SOURCE;
import static dev.loupe.index.ImageDocuments.IMAGE_FIELDS;
import static dev.loupe.index.ImageDocuments.fromDocument;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.util.BytesRef;

/**
 * {@link ImageIndex#list} on Lucene: domains, source prefix and date range as query filters, sorted
 * by the first-sighting doc values; the title word, which needs the stored occurrences, is checked
 * image by image (only when asked, and then over every image the other filters keep).
 */
final class ListingSearch {
  private ListingSearch() {}

  static ImagePage run(IndexSearcher searcher, ImageListing listing) throws IOException {
    Query query = query(listing);
    int maxDoc = Math.max(1, searcher.getIndexReader().maxDoc());
    Sort sort = new Sort(new SortField(F_FIRST, SortField.Type.LONG, listing.newestFirst()), SortField.FIELD_DOC);
    StoredFields stored = searcher.storedFields();
    if (listing.titleWord() == null) {
      int wanted = (int) Math.min(maxDoc, (long) listing.offset() + listing.limit());
      TopFieldDocs top = searcher.search(query, wanted, sort);
      List<IndexedImage> page = new ArrayList<>();
      for (int i = listing.offset(); i < top.scoreDocs.length; i++) {
        page.add(fromDocument(stored.document(top.scoreDocs[i].doc, IMAGE_FIELDS)));
      }
      return new ImagePage(page, searcher.count(query), listing.offset());
    }
    TopFieldDocs all = searcher.search(query, maxDoc, sort);
    List<IndexedImage> page = new ArrayList<>();
    long total = 0;
    for (ScoreDoc doc : all.scoreDocs) {
      IndexedImage image = fromDocument(stored.document(doc.doc, IMAGE_FIELDS));
      if (image.occurrences().stream().anyMatch(o -> listing.titleMatches(o.title()))) {
        if (total >= listing.offset() && page.size() < listing.limit()) {
          page.add(image);
        }
        total++;
      }
    }
    return new ImagePage(page, total, listing.offset());
  }

  private static Query query(ImageListing listing) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new MatchAllDocsQuery(), Occur.MUST);
    if (!listing.domains().isEmpty()) {
      b.add(new TermInSetQuery(F_DOMAIN, listing.domains().stream().map(BytesRef::new).toList()), Occur.FILTER);
    }
    if (listing.sourcePrefix() != null) {
      b.add(new PrefixQuery(new Term(F_SOURCE, listing.sourcePrefix())), Occur.FILTER);
    }
    if (listing.from() != null || listing.to() != null) {
      long from = listing.from() == null ? Long.MIN_VALUE : listing.from().toEpochMilli();
      long to = listing.to() == null ? Long.MAX_VALUE : listing.to().toEpochMilli() - 1;
      b.add(NumericDocValuesField.newSlowRangeQuery(F_FIRST, from, to), Occur.FILTER);
    }
    return b.build();
  }
}
