package dev.loupe.search;

import dev.loupe.features.DihedralTransform;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.IndexedImage;
import dev.loupe.keypoints.Alignment;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The copy claims of one search checked against colours: simple pictures need more evidence, and a
 * copy is called recoloured only when the colours of aligned regions differ.
 *
 * <p><b>Simple pictures.</b> A pair is simple when either side's hash quality is under {@link
 * #SIMPLE_QUALITY} or either side has fewer than {@link #SIMPLE_KEYPOINTS} keypoints (flags, logos,
 * icons, clip art). Their perceptual hashes ignore colour and their few keypoints sit on the same
 * corners in every picture of one layout, so a tricolour matches every other tricolour. A copy
 * claim on a simple pair stands only when
 *
 * <ol>
 *   <li>found by hash, the distance is at most {@link #SIMPLE_DISTANCE} bits, and
 *   <li>the aligned cells ({@link ColourComparison}) are explained by a recolouring edit: one side
 *       is grey or of one tint (chroma spread under {@link #MONOTONE_SPREAD}: grey, sepia, a strong
 *       colour filter) and the cells' luma correlates at {@link #MONOTONE_LUMA_CORRELATION} or more,
 *       or the luma correlates at {@link #MIN_LUMA_CORRELATION} or more and the query's chroma is
 *       the candidate's after one saturation factor and one tint, within {@link
 *       #MAX_CHROMA_RESIDUAL} of the query's spread, and tone curves, one per channel, can turn one
 *       side's colours into the other's ({@link #keepsChannelOrder}).
 * </ol>
 *
 * Otherwise the hit is shown as {@code similar}. Without the query's pixels or the candidate's
 * thumbnail only the distance rule applies. The thresholds come from the simple-graphics set
 * (docs/devset.md, docs/benchmarks.md).
 *
 * <p><b>Hue swaps of low-detail pictures.</b> Glossy flag icons and airbrushed art are not simple
 * by the tests above (their gradients and outlines give them a good hash and many keypoints), yet
 * two flags of one layout in other colours (Cuba and Puerto Rico) match by hash and by keypoints.
 * So on any pair whose query is low in detail (at least {@link #SMOOTH_SHARE} of its cells flat
 * once a plane is taken out: {@link ColourComparison#flatShare}), a copy claim also falls when
 * both sides are colourful (chroma spread at least {@link #SWAP_SPREAD}) and, over the {@link
 * #SWAP_KEEP} share of the aligned cells a recolouring explains best (so that a caption or a
 * sticker over a copy does not count), the chroma is still not the candidate's after one
 * saturation factor and one tint (residual above {@link #SWAP_RESIDUAL}); a keypoint claim also
 * falls when, over those cells, no tone curves turn one side into the other ({@link
 * #keepsChannelOrder}). Photographs with detail keep their recoloured copies, hue rotations
 * included.
 *
 * <p><b>Detail.</b> A keypoint claim on a simple pair, of a grey query, or with fewer than {@link
 * #DETAIL_INLIERS} inliers on a low-detail pair, also needs {@link #sameInDetail}: the recolouring
 * leaves few cells far off, and few of the smaller cells of {@link #sameInFineDetail}. Two flags
 * of one design with another emblem match by a few keypoints on what they share, two grey icons of
 * one glyph with another mark by many; a copy of a colour low-detail picture under a caption keeps
 * many inliers and is not asked, since its text changes as many cells as an emblem.
 * {@link #maySharePicture} compares two indexed pictures for the one-source rule of {@link
 * ImageSearcher}.
 *
 * <p><b>Recoloured.</b> A verified copy is recoloured when the median over aligned cells of the
 * largest R, G or B difference exceeds {@link #RECOLOURED_SHIFT}; without pixels, the keypoints'
 * colour shift says it ({@link Alignment#recoloured()}).
 *
 * <p>One instance per search; decodes each candidate's thumbnail at most once. Not thread-safe.
 */
final class SimplePictureCheck {
  /** Hash quality under which a picture is simple. */
  static final int SIMPLE_QUALITY = 45;
  /** Keypoint count under which a picture is simple. */
  static final int SIMPLE_KEYPOINTS = 100;
  /** A query with at least this share of flat cells is simple. */
  static final double SIMPLE_FLAT_SHARE = 0.5;
  /** Standard deviation, in levels of each channel, under which a cell is flat. */
  static final double FLAT_LEVELS = 6;
  /** A query with at least this share of cells flat once a plane is taken out is low in detail. */
  static final double SMOOTH_SHARE = 0.25;
  /** Chroma spread both sides need before colours can be said swapped. */
  static final double SWAP_SPREAD = 16;
  /** Share of the aligned cells, those a recolouring explains best, that the hue-swap test reads. */
  static final double SWAP_KEEP = 0.7;
  /** Chroma residual, over those cells, above which the colours were swapped rather than edited. */
  static final double SWAP_RESIDUAL = 0.8;
  /** Share of the aligned cells the recolouring of {@link #sameInDetail} is fitted on. */
  static final double MISFIT_FIT = 0.9;
  /** Error, in levels of 0..255 (RMS over luma, Cb and Cr), above which a cell is off the fit. */
  static final double MISFIT_LEVELS = 40;
  /**
   * The error of {@link #MISFIT_LEVELS} between two indexed pictures ({@link #maySharePicture}):
   * their thumbnails carry no edit, so the same picture stored twice stays well under it.
   */
  static final double SAME_PICTURE_LEVELS = 20;
  /** Error, in levels of one channel, above which a cell is off its channel's tone curve. */
  static final double ORDER_LEVELS = 30;
  /**
   * Largest share of cells off the tone curves of a copy. A flag or icon against its resized,
   * recompressed or brighter copy leaves up to 0.38 where the other rules keep it (simple-graphics
   * set); Belgium against Chad 0.76.
   */
  static final double MAX_ORDER_MISFIT = 0.5;
  /** Cells a side of the grid of {@link #sameInFineDetail}: 8 pixels of a 256-pixel thumbnail. */
  static final int FINE_GRID = 32;
  /** Luma error, in levels of 0..255, above which a small cell is off the curve. */
  static final double FINE_MISFIT_LEVELS = 45;
  /**
   * Largest share of the small cells off the curve in a copy. Keypoint copies asked for detail on
   * the simple-graphics set leave at most 0.048 (a bordered icon) and 0.044 (a flag at a quarter of
   * its size); a grey face with a straight mouth against one with a curved mouth 0.064 and 0.079.
   */
  static final double MAX_FINE_MISFIT_SHARE = 0.055;
  /** Inliers from which a keypoint copy is not asked for {@link #sameInDetail}. */
  static final int DETAIL_INLIERS = 30;
  /** Largest share of the aligned cells off the fit in the same picture. */
  static final double MAX_MISFIT_SHARE = 0.04;
  /** Largest hash distance of a copy claim on a simple pair, bits of 256. */
  static final int SIMPLE_DISTANCE = 12;
  /** Chroma spread under which a picture counts as grey or of one tint. */
  static final double MONOTONE_SPREAD = 8;
  /** Largest chroma residual (share of the query's chroma spread) a recolouring edit leaves. */
  static final double MAX_CHROMA_RESIDUAL = 0.5;
  /** Smallest correlation of the aligned cells' luma: the same layout of light and dark. */
  static final double MIN_LUMA_CORRELATION = 0.9;
  /** ... and when one side is grey or of one tint, so that light and dark are the only evidence. */
  static final double MONOTONE_LUMA_CORRELATION = 0.97;
  /** Median cell colour difference above which a copy is recoloured, 0..255. */
  static final double RECOLOURED_SHIFT = 24;

  /** Decodes stored thumbnails (JPEG the index wrote itself). */
  private static final ImageLoader THUMBNAILS = new ImageLoader(ImageLimits.defaults());

  private final ImageIndex index;
  private final SearchQuery query;
  private final Map<String, Optional<DecodedImage>> thumbnails = new HashMap<>();
  private double queryFlatShare = Double.NaN;
  private double querySmoothShare = Double.NaN;
  private double queryChromaSpread = Double.NaN;

  SimplePictureCheck(ImageIndex index, SearchQuery query) {
    this.index = index;
    this.query = query;
  }

  /**
   * Whether the pair needs the stricter rule; {@code hitLocal} is the candidate's keypoints. Keypoint
   * counts count only where keypoints were computed.
   */
  static boolean simple(ImageSignature query, ImageSignature hit, LocalFeatures hitLocal) {
    return Math.min(query.quality(), hit.quality()) < SIMPLE_QUALITY
        || fewKeypoints(query.local()) || fewKeypoints(hitLocal);
  }

  /** Whether the pair is simple by its signatures or by the query's flat area. */
  private boolean simple(IndexedImage hit, LocalFeatures hitLocal) {
    if (simple(query.signature(), hit.signature(), hitLocal)) {
      return true;
    }
    if (query.pixels() == null) {
      return false;
    }
    if (Double.isNaN(queryFlatShare)) {
      queryFlatShare = ColourComparison.flatShare(query.pixels(), FLAT_LEVELS, false);
    }
    return queryFlatShare >= SIMPLE_FLAT_SHARE;
  }

  /** Whether the query is low in detail: mostly flat cells once smooth gradients are taken out. */
  private boolean lowDetail() {
    if (query.pixels() == null) {
      return false;
    }
    if (Double.isNaN(querySmoothShare)) {
      querySmoothShare = ColourComparison.flatShare(query.pixels(), FLAT_LEVELS, true);
    }
    return querySmoothShare >= SMOOTH_SHARE;
  }

  /**
   * Whether the query is grey or of one tint (chroma spread under {@link #MONOTONE_SPREAD}): light
   * and dark are all it tells of the colours it was made from.
   */
  boolean monotoneQuery() {
    if (query.pixels() == null) {
      return false;
    }
    if (Double.isNaN(queryChromaSpread)) {
      queryChromaSpread = ColourComparison.chromaSpread(query.pixels());
    }
    return queryChromaSpread < MONOTONE_SPREAD;
  }

  /**
   * Whether an indexed picture has colours (its thumbnail's chroma spread at least {@link
   * #MONOTONE_SPREAD}); without a thumbnail, it is taken to have none.
   */
  boolean colourful(IndexedImage hit) throws IOException {
    Optional<DecodedImage> thumbnail = thumbnail(hit.id());
    return thumbnail.isPresent() && ColourComparison.chromaSpread(thumbnail.get()) >= MONOTONE_SPREAD;
  }

  private static boolean fewKeypoints(LocalFeatures local) {
    return local.isComputed() && local.size() < SIMPLE_KEYPOINTS;
  }

  /** The candidate's keypoints: those it came with, else the stored ones. */
  private LocalFeatures local(IndexedImage hit) throws IOException {
    if (hit.signature().local().isComputed()) {
      return hit.signature().local();
    }
    return index.localFeatures(hit.id()).orElse(LocalFeatures.EMPTY);
  }

  /**
   * Whether the pair is checked by the stricter rules: either side simple, or the query low in
   * detail.
   */
  boolean strict(IndexedImage hit) throws IOException {
    return simple(hit, local(hit)) || lowDetail();
  }

  /**
   * Whether two indexed pictures may be copies of one another: in one of the eight turns and
   * mirrors, the cells of their thumbnails are explained by a recolouring edit ({@link
   * #explainedByRecolouring}) that leaves at most {@link #MAX_MISFIT_SHARE} of them off by more
   * than {@link #SAME_PICTURE_LEVELS}. {@code part} is the box of {@code a} that {@code b} is
   * compared with ({@code {left, top, right, bottom}} as shares of its sides; {@code {0, 0, 1, 1}}
   * for the whole). Without a thumbnail of either, or for a box of fewer than 8 pixels a side,
   * they may.
   */
  boolean maySharePicture(IndexedImage a, IndexedImage b, double[] part) throws IOException {
    Optional<DecodedImage> ta = thumbnail(a.id());
    Optional<DecodedImage> tb = thumbnail(b.id());
    if (ta.isEmpty() || tb.isEmpty()) {
      return true;
    }
    DecodedImage whole = ta.get();
    int x0 = (int) Math.round(part[0] * whole.pixelWidth());
    int y0 = (int) Math.round(part[1] * whole.pixelHeight());
    int x1 = (int) Math.round(part[2] * whole.pixelWidth());
    int y1 = (int) Math.round(part[3] * whole.pixelHeight());
    if (x0 < 0 || y0 < 0 || x1 > whole.pixelWidth() || y1 > whole.pixelHeight() || x1 - x0 < 8 || y1 - y0 < 8) {
      return true;
    }
    DecodedImage shown = x1 - x0 == whole.pixelWidth() && y1 - y0 == whole.pixelHeight() ? whole
        : whole.region(x0, y0, x1 - x0, y1 - y0, x1 - x0, y1 - y0);
    // A part is placed by an alignment, to a pixel or two: its cells are held to the looser limit
    // of an edited copy.
    double levels = shown == whole ? SAME_PICTURE_LEVELS : MISFIT_LEVELS;
    for (DihedralTransform variant : DihedralTransform.values()) {
      ColourComparison cells = ColourComparison.ofHashMatch(shown, tb.get(), variant);
      if (explainedByRecolouring(cells) && misfitShare(cells, levels) <= MAX_MISFIT_SHARE) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether tone curves, one per channel, can turn one side's colours into the other's: at most
   * {@link #MAX_ORDER_MISFIT} of the cells off the best non-decreasing curve by more than {@link
   * #ORDER_LEVELS} ({@link ColourComparison#channelOrderMisfitShare}). Always, when a side is grey
   * or of one tint. Belgium's black band is Chad's dark blue while the red band has less blue than
   * the yellow: no curve of the blue channel does both, while the saturation and tint fit of
   * {@link #misfitShare} does.
   */
  static boolean keepsChannelOrder(ColourComparison cells) {
    return cells.queryChromaSpread() < MONOTONE_SPREAD || cells.hitChromaSpread() < MONOTONE_SPREAD
        || cells.channelOrderMisfitShare(ORDER_LEVELS) <= MAX_ORDER_MISFIT;
  }

  /** Whether a copy found by hash, the query turned by {@code variant}, stands. */
  boolean keepsHashCopy(IndexedImage hit, int variant, int distance) throws IOException {
    boolean simple = simple(hit, local(hit));
    if (!simple && !lowDetail()) {
      return true;
    }
    if (simple && distance > SIMPLE_DISTANCE) {
      return false;
    }
    Optional<DecodedImage> thumbnail = thumbnail(hit.id());
    if (query.pixels() == null || thumbnail.isEmpty()) {
      return true;
    }
    ColourComparison cells = ColourComparison.ofHashMatch(
        query.pixels(), thumbnail.get(), DihedralTransform.values()[variant]);
    return simple ? explainedByRecolouring(cells) : !hueSwapped(cells);
  }

  /** Whether a copy found by keypoints stands. */
  boolean keepsKeypointCopy(IndexedImage hit, Alignment a, boolean mirrored) throws IOException {
    boolean simple = simple(hit, hit.signature().local());
    if (!simple && !lowDetail()) {
      return true;
    }
    Optional<DecodedImage> thumbnail = thumbnail(hit.id());
    if (query.pixels() == null || thumbnail.isEmpty()) {
      return true;
    }
    ColourComparison cells = ColourComparison.ofAlignment(
        query.pixels(), thumbnail.get(), hit.signature().local(), a.transform(), mirrored);
    // Few inliers are little evidence: their detail must then agree everywhere, or the two are
    // one design with another emblem. Many inliers around a caption or a pasted window are a copy
    // of a low-detail picture; a simple or grey one's many inliers can be one glyph under another
    // mark, light and dark being all a grey query shows.
    boolean detailAgrees = a.inliers() >= DETAIL_INLIERS && !simple && !monotoneQuery()
        || sameInDetail(cells) && sameInFineDetail(ColourComparison.ofAlignment(
            query.pixels(), thumbnail.get(), hit.signature().local(), a.transform(), mirrored, FINE_GRID));
    return simple ? cells.decides() && explainedByRecolouring(cells) && detailAgrees
        : !cells.decides() || !hueSwapped(cells) && detailAgrees && keepsChannelOrder(cells.trimmed(SWAP_KEEP));
  }

  /** Whether the colours of an aligned copy were changed; the keypoints' colour shift when the cells cannot tell. */
  boolean recoloured(IndexedImage hit, LocalFeatures hitFrame, Alignment a, boolean mirrored) throws IOException {
    Optional<DecodedImage> thumbnail = thumbnail(hit.id());
    if (query.pixels() == null || thumbnail.isEmpty() || hitFrame.isEmpty()) {
      return a.recoloured();
    }
    ColourComparison cells = ColourComparison.ofAlignment(query.pixels(), thumbnail.get(), hitFrame, a.transform(), mirrored);
    return cells.decides() ? cells.shift() > RECOLOURED_SHIFT : a.recoloured();
  }

  /**
   * Whether the colours of a colourful pair were swapped rather than edited: over the cells a
   * recolouring explains best, no saturation factor and tint bring the candidate's chroma to the
   * query's.
   */
  static boolean hueSwapped(ColourComparison cells) {
    ColourComparison best = cells.trimmed(SWAP_KEEP);
    return best.queryChromaSpread() >= SWAP_SPREAD && best.hitChromaSpread() >= SWAP_SPREAD
        && best.chromaResidual() > SWAP_RESIDUAL;
  }

  /**
   * Whether the recolouring that explains the cells best leaves at most {@link #MAX_MISFIT_SHARE}
   * of them off by more than {@link #MISFIT_LEVELS} (fitted on the {@link #MISFIT_FIT} share it
   * explains best; the luma alone, off a non-decreasing curve, when a side is grey or of one tint):
   * two flags of one design with another emblem, or two icons with another mark, differ in a few
   * cells by far more.
   */
  static boolean sameInDetail(ColourComparison cells) {
    return misfitShare(cells, MISFIT_LEVELS) <= MAX_MISFIT_SHARE;
  }

  /**
   * Whether the light and dark of small cells agree as well ({@link #FINE_GRID} a side): at most
   * {@link #MAX_FINE_MISFIT_SHARE} of them off the best non-decreasing curve of the candidate's
   * luma by more than {@link #FINE_MISFIT_LEVELS}. A mouth drawn straight in one face and curved in
   * the other can move too few of the {@value ColourComparison#GRID}-a-side cells to tell (two
   * symbolic faces of the simple-graphics set, grey, at 0.04 or less).
   */
  static boolean sameInFineDetail(ColourComparison fineCells) {
    return fineCells.misfitShare(1, FINE_MISFIT_LEVELS, true) <= MAX_FINE_MISFIT_SHARE;
  }

  /** {@link ColourComparison#misfitShare}, of the luma alone when either side is grey or of one tint. */
  static double misfitShare(ColourComparison cells, double levels) {
    boolean lumaOnly = cells.queryChromaSpread() < MONOTONE_SPREAD || cells.hitChromaSpread() < MONOTONE_SPREAD;
    return cells.misfitShare(MISFIT_FIT, levels, lumaOnly);
  }

  static boolean explainedByRecolouring(ColourComparison cells) {
    double luma = cells.lumaCorrelation();
    if (cells.queryChromaSpread() < MONOTONE_SPREAD || cells.hitChromaSpread() < MONOTONE_SPREAD) {
      // Grey, sepia or one hue: light and dark are the only evidence left.
      return luma >= MONOTONE_LUMA_CORRELATION;
    }
    return luma >= MIN_LUMA_CORRELATION && cells.chromaResidual() <= MAX_CHROMA_RESIDUAL && keepsChannelOrder(cells);
  }

  private Optional<DecodedImage> thumbnail(String id) throws IOException {
    Optional<DecodedImage> known = thumbnails.get(id);
    if (known != null) {
      return known;
    }
    Optional<DecodedImage> decoded = Optional.empty();
    Optional<byte[]> bytes = index.thumbnail(id);
    if (bytes.isPresent() && bytes.get().length > 0) {
      try {
        decoded = Optional.of(THUMBNAILS.decode(bytes.get()));
      } catch (ImageRejected e) {
        decoded = Optional.empty();
      }
    }
    thumbnails.put(id, decoded);
    return decoded;
  }
}
