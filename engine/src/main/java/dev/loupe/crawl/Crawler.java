package dev.loupe.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import crawlercommons.sitemaps.UnknownFormatException;
import crawlercommons.sitemaps.extension.Extension;
import crawlercommons.sitemaps.extension.ExtensionMetadata;
import crawlercommons.sitemaps.extension.ImageAttributes;
import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.FetchedPage;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.ingest.ImageRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Crawls sites from seed pages and sitemaps and indexes every picture with the page it was seen
 * on.
 *
 * <pre>{@code
 * Crawler crawler = new Crawler(index, fetcher, analyzer, dataDir.resolve("crawl.db"),
 *     CrawlSettings.defaults(), Clock.systemUTC());
 * CrawlReport report = crawler.run(List.of("https://example.com/"), false, p -> log(p.line()));
 * }</pre>
 *
 * <p><b>Politeness.</b> Before anything else on a host, its robots.txt is read and parsed with
 * crawler-commons under the crawler's token (RFC 9309: a 4xx means no rules, a 5xx or an
 * unreachable server means nothing may be fetched). Each host has one queue: one request at a
 * time, the next one starting its {@code Crawl-delay} (else {@link CrawlSettings#defaultDelay()})
 * after the previous one ended. Every request, robots.txt, sitemaps and images included, goes
 * through the fetcher's {@link dev.loupe.fetch.FetchPolicy}: address checks, redirects checked per
 * hop, size and time caps.
 *
 * <p><b>Opt-outs.</b> A page's meta robots and {@code X-Robots-Tag} are read before any of its
 * pictures is queued: {@code noindex}, {@code noimageindex}, {@code noai} and {@code noimageai}
 * keep them out; {@code nofollow} keeps its links out.
 *
 * <p><b>Provenance.</b> Each sighting is an {@link Occurrence} whose source is
 * {@code <image URL> on <page URL>}: seen again on the same page it moves its last-seen time; on
 * another page it is another occurrence; gone from a page, its occurrence keeps the time it was
 * last seen. Recrawls send {@code If-None-Match}/{@code If-Modified-Since} for pages and images
 * seen before; a 304 page counts its remembered pictures as seen again without fetching them.
 *
 * <p><b>Durability.</b> The {@link Frontier} records tasks when found and marks them done after
 * the index commits, so {@link #stop()}, Ctrl-C or a crash loses nothing: running the same seeds
 * again resumes.
 *
 * <p>One run at a time per instance; {@link #stop()} may be called from any thread.
 */
public final class Crawler {
  private static final Set<String> HTML_TYPES = Set.of("text/html", "application/xhtml+xml");
  private static final Set<String> SITEMAP_TYPES = Set.of("application/xml", "text/xml",
      "text/plain", "application/gzip", "application/x-gzip", "application/octet-stream");
  private static final Set<String> ROBOTS_TYPES =
      Set.of("text/plain", "text/html", "application/octet-stream");

  private final ImageIndex index;
  private final ImageFetcher fetcher;
  private final ImageAnalyzer analyzer;
  private final Path frontierFile;
  private final CrawlSettings settings;
  private final Clock clock;
  private final PageParser pageParser;
  private final AtomicReference<RunState> current = new AtomicReference<>();
  /** Set by {@link #stop}: a run that begins after it stops at once (a crawler runs once). */
  private volatile boolean stopBeforeStart;

  public Crawler(ImageIndex index, ImageFetcher fetcher, ImageAnalyzer analyzer, Path frontierFile,
      CrawlSettings settings, Clock clock) {
    this.index = Objects.requireNonNull(index, "index");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
    this.frontierFile = Objects.requireNonNull(frontierFile, "frontierFile");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pageParser = new PageParser(settings.robotName());
  }

  /** The frontier's file in a data directory. */
  public static Path frontierFile(Path dataDir) {
    return dataDir.resolve("crawl.db");
  }

  /**
   * Crawls from the seeds until no work is left, a limit ends it, or {@link #stop()}. A seed whose
   * path ends in {@code .xml} or {@code .xml.gz} or names a sitemap is read as a sitemap (an index
   * of sitemaps included), any other as a page.
   *
   * @param fresh start a new run even when the last run with these seeds was interrupted
   * @param progress called about every 200 ms on this thread
   * @throws IllegalArgumentException naming a seed that is not an http(s) URL
   * @throws IOException when the frontier or the index cannot be written; work committed so far
   *     stays
   */
  public CrawlReport run(List<String> seeds, boolean fresh, Consumer<CrawlProgress> progress)
      throws IOException {
    List<CrawlTask> seedTasks = new ArrayList<>();
    for (String seed : seeds) {
      URI uri = seed(seed);
      String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
      boolean sitemap = path.endsWith(".xml") || path.endsWith(".xml.gz") || path.contains("sitemap");
      seedTasks.add(new CrawlTask(0, sitemap ? CrawlTask.Kind.SITEMAP : CrawlTask.Kind.PAGE,
          uri.toString(), 0, "", "", ""));
    }
    long start = System.nanoTime();
    try (Frontier frontier = Frontier.open(frontierFile)) {
      Frontier.Run run = frontier.begin(seedTasks.stream().map(CrawlTask::url).toList(), fresh, clock.instant());
      RunState state = new RunState(frontier, run, seedTasks);
      if (!current.compareAndSet(null, state)) {
        throw new IllegalStateException("this crawler is already running");
      }
      if (stopBeforeStart) {
        state.stopRequested = true;
        state.queues.stop();
      }
      try {
        return state.crawl(start, progress);
      } finally {
        current.set(null);
      }
    }
  }

  /**
   * Asks a running crawl to stop after the requests in flight; what it found stays queued. Asked
   * before {@link #run} has begun, the run stops at once, its seeds queued for the next.
   */
  public void stop() {
    stopBeforeStart = true;
    RunState state = current.get();
    if (state != null) {
      state.stopRequested = true;
      state.queues.stop();
    }
  }

  /**
   * A seed as a crawl takes it: an http(s) page or sitemap URL with a host.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static URI seed(String seed) {
    String url = PageParser.absolute(seed.strip());
    if (url == null) {
      throw new IllegalArgumentException("seed must be an http(s) URL, got: " + seed);
    }
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("seed has no host: " + seed);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("seed is not a valid URL: " + seed + " (" + e.getReason() + ")");
    }
  }

  /** {@code scheme://host[:port]}, lower-case, without a default port: the unit of politeness and robots.txt. */
  static String origin(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
        || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  /** The registrable domain of a host (public suffix plus one label), or the host itself (IP addresses, unknown suffixes). */
  static String registrableDomain(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") || h.matches("[0-9.]+")) {
      return h;
    }
    String assigned = crawlercommons.domains.EffectiveTldFinder.getAssignedDomain(h, true, false);
    return assigned == null ? h : assigned;
  }

  /** The headers of a conditional GET for a response that had these validators. */
  private static Map<String, String> conditional(String etag, String lastModified) {
    Map<String, String> headers = new HashMap<>();
    if (etag != null) {
      headers.put("If-None-Match", etag);
    }
    if (lastModified != null) {
      headers.put("If-Modified-Since", lastModified);
    }
    return headers;
  }

  private static URI uri(String url) {
    try {
      URI uri = new URI(url);
      return uri.getHost() == null ? null : uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** One run's mutable state, shared by its workers. */
  private final class RunState {
    final Frontier frontier;
    final long runId;
    final boolean resumed;
    final List<CrawlTask> seedTasks;
    final PolitenessQueues<CrawlTask> queues = new PolitenessQueues<>();
    final Set<String> seedOrigins = new HashSet<>();
    final Set<String> seedDomains = new HashSet<>();
    final Map<String, BaseRobotRules> robots = new ConcurrentHashMap<>();
    final Set<String> hostsSeen = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();
    final List<CrawlFailure> failures = Collections.synchronizedList(new ArrayList<>());
    final List<Long> finished = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong pagesFetched = new AtomicLong();
    final AtomicLong pagesUnchanged = new AtomicLong();
    final AtomicLong newImages = new AtomicLong();
    final AtomicLong newOccurrences = new AtomicLong();
    final AtomicLong seenAgain = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    long pagesQueued;
    long imagesQueued;
    volatile boolean stopRequested;
    volatile boolean byteLimitReached;
    volatile IOException fatal;

    RunState(Frontier frontier, Frontier.Run run, List<CrawlTask> seedTasks) {
      this.frontier = frontier;
      this.runId = run.id();
      this.resumed = run.resumed();
      this.seedTasks = seedTasks;
      for (CrawlTask seed : seedTasks) {
        URI uri = URI.create(seed.url());
        seedOrigins.add(origin(uri));
        seedDomains.add(registrableDomain(uri.getHost()));
      }
    }

    CrawlReport crawl(long start, Consumer<CrawlProgress> progress) throws IOException {
      if (resumed) {
        pagesQueued = frontier.count(runId, CrawlTask.Kind.PAGE);
        imagesQueued = frontier.count(runId, CrawlTask.Kind.IMAGE);
        for (CrawlTask task : frontier.pending(runId)) {
          String origin = origin(URI.create(task.url()));
          hostsSeen.add(origin);
          queues.add(origin, task);
        }
      } else {
        offer(seedTasks);
      }
      CountDownLatch done = new CountDownLatch(settings.workers());
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < settings.workers(); i++) {
        workers.add(Thread.ofVirtual().name("loupe-crawl-", i).start(() -> {
          try {
            work();
          } finally {
            done.countDown();
          }
        }));
      }
      long lastCommit = System.nanoTime();
      try {
        while (!done.await(200, TimeUnit.MILLISECONDS)) {
          progress.accept(progress(start));
          if (System.nanoTime() - lastCommit >= settings.commitInterval().toNanos()) {
            commit();
            lastCommit = System.nanoTime();
          }
        }
      } catch (InterruptedException e) {
        queues.stop();
        workers.forEach(Thread::interrupt);
        Thread.currentThread().interrupt();
      }
      commit();
      if (fatal != null) {
        throw fatal;
      }
      if (!stopRequested) {
        frontier.finish(runId, clock.instant());
      }
      progress.accept(progress(start));
      Map<String, Long> skips = new LinkedHashMap<>();
      skipped.forEach((reason, count) -> skips.put(reason, count.get()));
      return new CrawlReport(resumed, pagesFetched.get(), pagesUnchanged.get(), newImages.get(),
          newOccurrences.get(), seenAgain.get(), skips, failures, bytes.get(),
          Duration.ofNanos(System.nanoTime() - start));
    }

    CrawlProgress progress(long start) {
      long skips = skipped.values().stream().mapToLong(AtomicLong::get).sum();
      return new CrawlProgress(pagesFetched.get() + pagesUnchanged.get(),
          newImages.get() + newOccurrences.get() + seenAgain.get(), failures.size(), skips,
          queues.queued(), hostsSeen.size(), bytes.get(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Index first, then the frontier: a task is done only once what it produced is durable. */
    void commit() throws IOException {
      List<Long> ids;
      synchronized (finished) {
        ids = new ArrayList<>(finished);
        finished.clear();
      }
      index.commit();
      frontier.markDone(ids);
    }

    void work() {
      try {
        PolitenessQueues.Taken<CrawlTask> taken;
        while ((taken = queues.take()) != null) {
          long delay = -1;
          try {
            delay = process(taken.host(), taken.task());
          } catch (IOException e) {
            fatal = e;
            queues.stop();
          } catch (RuntimeException e) {
            fail(taken.task().url(), taken.task().url() + ": internal error: " + e);
            finished.add(taken.task().id());
          } finally {
            queues.release(taken, delay);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Does one task; returns the host's delay before its next request, or -1 if none was made. */
    long process(String origin, CrawlTask task) throws IOException {
      BaseRobotRules rules = robots.get(origin);
      if (rules == null) {
        rules = readRobots(origin);
        robots.put(origin, rules);
        queues.addFirst(origin, task);
        return delay(rules);
      }
      if (!rules.isAllowed(task.url())) {
        skip(rules.isDeferVisits() ? "robots.txt unavailable" : "robots.txt");
        finished.add(task.id());
        return -1;
      }
      boolean requested = switch (task.kind()) {
        case PAGE -> page(task);
        case SITEMAP -> sitemap(task);
        case IMAGE -> image(task);
      };
      finished.add(task.id());
      return requested ? delay(rules) : -1;
    }

    long delay(BaseRobotRules rules) {
      long crawlDelay = rules.getCrawlDelay();
      return crawlDelay == BaseRobotRules.UNSET_CRAWL_DELAY || crawlDelay < 0
          ? settings.defaultDelay().toNanos() : TimeUnit.MILLISECONDS.toNanos(crawlDelay);
    }

    BaseRobotRules readRobots(String origin) {
      SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
      String url = origin + "/robots.txt";
      try {
        FetchedPage page = fetcher.readPage(URI.create(url), settings.userAgent(), Map.of(), ROBOTS_TYPES,
            hop -> true); // RFC 9309 2.3.1.2: robots.txt redirects are followed, across hosts too
        count(page);
        if (page.status() == 200) {
          return parser.parseContent(url, page.body(),
              page.contentType() == null ? "text/plain" : page.contentType(), List.of(settings.robotName()));
        }
        return parser.failedFetch(page.status());
      } catch (FetchException e) {
        // RFC 9309 2.3.1.4: an unreachable robots.txt means the whole site is disallowed.
        fail(url, e.getMessage());
        return parser.failedFetch(503);
      }
    }

    boolean page(CrawlTask task) throws IOException {
      Optional<Frontier.PageState> known = frontier.page(task.url());
      if (known.isPresent() && known.get().fetchedRun() == runId) {
        return false; // Already read in this run (a resumed run redoing an uncommitted task).
      }
      Map<String, String> headers = known.isEmpty() ? Map.of()
          : conditional(known.get().etag(), known.get().lastModified());
      FetchedPage page;
      try {
        page = fetcher.readPage(URI.create(task.url()), settings.userAgent(), headers, HTML_TYPES,
            hops(task));
      } catch (FetchException e) {
        fail(task.url(), e.getMessage());
        return true;
      }
      count(page);
      String title;
      String pageUrl;
      List<String> links;
      List<Frontier.PageImageRow> images;
      if (page.status() == 304 && known.isPresent()) {
        pagesUnchanged.incrementAndGet();
        frontier.touchPage(task.url(), runId);
        title = known.get().title();
        pageUrl = task.url();
        links = frontier.links(task.url());
        images = frontier.images(task.url());
      } else if (ImageFetcher.isRedirect(page.status())) {
        redirected(task, page);
        return true;
      } else if (page.status() != 200) {
        fail(task.url(), page.where() + ": HTTP " + page.status());
        return true;
      } else {
        pagesFetched.incrementAndGet();
        pageUrl = page.location();
        ParsedPage parsed = pageParser.parse(page.body(), null, pageUrl);
        RobotsDirectives directives = parsed.directives()
            .and(RobotsDirectives.fromHeaders(page.headerValues("X-Robots-Tag"), settings.robotName()));
        title = parsed.title();
        images = new ArrayList<>();
        if (directives.imagesAllowed()) {
          parsed.images().forEach(i -> images.add(new Frontier.PageImageRow(i.url(), i.text())));
        } else if (!parsed.images().isEmpty()) {
          skip(directives.imageOptOut(), parsed.images().size());
        }
        links = directives.noFollow() ? List.of() : parsed.links();
        frontier.savePage(task.url(), new Frontier.PageState(page.header("ETag").orElse(null),
            page.header("Last-Modified").orElse(null), title, runId), links, images);
      }
      List<CrawlTask> found = new ArrayList<>();
      for (Frontier.PageImageRow image : images) {
        found.add(new CrawlTask(0, CrawlTask.Kind.IMAGE, image.imageUrl(), task.depth(), pageUrl,
            image.text(), title));
      }
      if (task.depth() < settings.maxDepth()) {
        for (String link : links) {
          found.add(new CrawlTask(0, CrawlTask.Kind.PAGE, link, task.depth() + 1, "", "", ""));
        }
      }
      offer(found);
      return true;
    }

    boolean sitemap(CrawlTask task) throws IOException {
      FetchedPage page;
      try {
        page = fetcher.readPage(URI.create(task.url()), settings.userAgent(), Map.of(), SITEMAP_TYPES,
            hops(task));
      } catch (FetchException e) {
        fail(task.url(), e.getMessage());
        return true;
      }
      count(page);
      if (ImageFetcher.isRedirect(page.status())) {
        redirected(task, page);
        return true;
      }
      if (page.status() != 200) {
        fail(task.url(), page.where() + ": HTTP " + page.status());
        return true;
      }
      pagesFetched.incrementAndGet();
      SiteMapParser parser = new SiteMapParser();
      parser.enableExtension(Extension.IMAGE);
      AbstractSiteMap map;
      try {
        map = parser.parseSiteMap(page.contentType() == null ? "text/xml" : page.contentType(),
            page.body(), URI.create(page.location()).toURL());
      } catch (UnknownFormatException | IOException | RuntimeException e) {
        fail(task.url(), page.where() + ": not a sitemap (" + e.getMessage() + ")");
        return true;
      }
      List<CrawlTask> found = new ArrayList<>();
      if (map instanceof SiteMapIndex sitemapIndex) {
        for (AbstractSiteMap child : sitemapIndex.getSitemaps()) {
          found.add(new CrawlTask(0, CrawlTask.Kind.SITEMAP, child.getUrl().toString(), 0, "", "", ""));
        }
      } else if (map instanceof SiteMap siteMap) {
        for (SiteMapURL entry : siteMap.getSiteMapUrls()) {
          String pageUrl = entry.getUrl().toString();
          found.add(new CrawlTask(0, CrawlTask.Kind.PAGE, pageUrl, 0, "", "", ""));
          ExtensionMetadata[] images = entry.getAttributesForExtension(Extension.IMAGE);
          for (ExtensionMetadata meta : images == null ? new ExtensionMetadata[0] : images) {
            if (meta instanceof ImageAttributes image && image.getLoc() != null) {
              String text = image.getCaption() != null ? image.getCaption()
                  : image.getTitle() != null ? image.getTitle() : "";
              found.add(new CrawlTask(0, CrawlTask.Kind.IMAGE, image.getLoc().toString(), 0,
                  pageUrl, text.strip(), ""));
            }
          }
        }
      }
      offer(found);
      return true;
    }

    boolean image(CrawlTask task) throws IOException {
      Optional<Frontier.ImageState> known = frontier.image(task.url());
      if (known.isPresent() && known.get().fetchedRun() == runId && reuse(known.get(), task)) {
        return false; // Fetched earlier in this run, from another page.
      }
      Map<String, String> headers = known.isEmpty() ? Map.of()
          : conditional(known.get().etag(), known.get().lastModified());
      FetchedPage response;
      try {
        response = fetcher.readImage(URI.create(task.url()), settings.userAgent(), headers,
            hops(task));
        count(response);
        if (response.status() == 304) {
          if (reuse(known.get(), task)) {
            frontier.saveImage(task.url(), new Frontier.ImageState(known.get().imageId(),
                known.get().etag(), known.get().lastModified(), runId));
            return true;
          }
          response = fetcher.readImage(URI.create(task.url()), settings.userAgent(), Map.of(),
              hops(task));
          count(response);
        }
      } catch (FetchException e) {
        fail(task.url(), e.getMessage() + onPage(task));
        return true;
      }
      if (ImageFetcher.isRedirect(response.status())) {
        redirected(task, response);
        return true;
      }
      ImageAnalyzer.Analysis analysis;
      try {
        analysis = analyzer.analyze(response.body());
      } catch (ImageRejected e) {
        fail(task.url(), task.url() + ": " + e.getMessage() + onPage(task));
        return true;
      }
      record(index.add(analysis.signature(), analysis.metadata(), occurrence(task)));
      frontier.saveImage(task.url(), new Frontier.ImageState(
          IndexedImage.idOf(analysis.signature().pixelKey()), response.header("ETag").orElse(null),
          response.header("Last-Modified").orElse(null), runId));
      return true;
    }

    /** Adds a sighting of an image already in the index, without fetching it; false if it is gone. */
    boolean reuse(Frontier.ImageState known, CrawlTask task) throws IOException {
      Optional<IndexedImage> image = index.image(known.imageId());
      if (image.isEmpty()) {
        return false;
      }
      IndexedImage stored = image.get();
      // The thumbnail of an image already stored is kept by the index; none is needed here.
      record(index.add(stored.signature(),
          new ImageMetadata(stored.format(), stored.width(), stored.height(), new byte[0]),
          occurrence(task)));
      return true;
    }

    void record(dev.loupe.index.AddOutcome outcome) {
      switch (outcome) {
        case NEW_IMAGE -> newImages.incrementAndGet();
        case NEW_OCCURRENCE -> newOccurrences.incrementAndGet();
        case SEEN_AGAIN -> seenAgain.incrementAndGet();
      }
    }

    Occurrence occurrence(CrawlTask task) {
      String page = task.pageUrl().isEmpty() ? null : task.pageUrl();
      String text = !task.text().isBlank() ? task.text() : task.pageTitle();
      String title = new ImageRecord(task.url(), text.isBlank() ? null : text, page, null).titleOrFileName();
      return Occurrence.of(page == null ? task.url() : task.url() + " on " + page, task.url(), page,
          title, clock.instant());
    }

    /** Queues the tasks that are in scope and within the limits; the frontier drops known ones. */
    synchronized void offer(List<CrawlTask> tasks) throws IOException {
      List<CrawlTask> accepted = new ArrayList<>();
      Set<String> newHosts = new HashSet<>();
      for (CrawlTask task : tasks) {
        URI uri = uri(task.url());
        if (uri == null) {
          continue;
        }
        String origin = origin(uri);
        if (task.kind() != CrawlTask.Kind.IMAGE && !inScope(uri, origin)) {
          skip("out of scope");
          continue;
        }
        if (!hostsSeen.contains(origin) && !newHosts.contains(origin)
            && hostsSeen.size() + newHosts.size() >= settings.maxHosts()) {
          skip("host limit");
          continue;
        }
        newHosts.add(origin);
        accepted.add(task);
      }
      List<CrawlTask> stored = new ArrayList<>();
      for (CrawlTask task : frontier.enqueue(runId, accepted)) {
        if (task.kind() == CrawlTask.Kind.PAGE && pagesQueued >= settings.maxPages()) {
          skip("page limit");
          finished.add(task.id());
          continue;
        }
        if (task.kind() == CrawlTask.Kind.IMAGE && imagesQueued >= settings.maxImages()) {
          skip("image limit");
          finished.add(task.id());
          continue;
        }
        if (task.kind() == CrawlTask.Kind.PAGE) {
          pagesQueued++;
        } else if (task.kind() == CrawlTask.Kind.IMAGE) {
          imagesQueued++;
        }
        stored.add(task);
      }
      for (CrawlTask task : stored) {
        String origin = origin(URI.create(task.url()));
        hostsSeen.add(origin);
        queues.add(origin, task);
      }
    }

    boolean inScope(URI uri, String origin) {
      if (settings.include() != null && !settings.include().matcher(uri.toString()).find()) {
        return false;
      }
      return switch (settings.scope()) {
        case HOST -> seedOrigins.contains(origin);
        case DOMAIN -> seedDomains.contains(registrableDomain(uri.getHost()));
        case ANY -> true;
      };
    }

    void count(FetchedPage page) {
      if (bytes.addAndGet(page.body().length) > settings.maxBytes() && !byteLimitReached) {
        byteLimitReached = true;
        skip("byte limit reached");
        queues.stop();
      }
    }

    /**
     * Whether a redirect hop from {@code task} is followed within the same request: only to the
     * task's own origin, and only where its robots.txt allows the target. A hop to another origin
     * is declined, so that the other host's robots.txt is read and its politeness delay kept, and
     * the target becomes a task of its own ({@link #redirected}).
     */
    Predicate<URI> hops(CrawlTask task) {
      String from = origin(URI.create(task.url()));
      return target -> {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (target.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
          return true; // The fetcher refuses it, with its own message.
        }
        String to = origin(target);
        BaseRobotRules rules = robots.get(to);
        return to.equals(from) && rules != null && rules.isAllowed(target.toString());
      };
    }

    /**
     * A redirect whose hop {@link #hops} declined: a target robots.txt is known to disallow
     * is skipped (counted as "robots.txt after a redirect"); any other target is queued as the same kind of task, on its own
     * host's queue, with the same page context (the frontier drops a URL already queued in this
     * run, which ends redirect loops across hosts). A queued target that its host's robots.txt,
     * read when its turn comes, disallows is counted as "robots.txt".
     */
    void redirected(CrawlTask task, FetchedPage response) throws IOException {
      URI target = uri(response.location());
      if (target == null) {
        fail(task.url(), response.where() + ": redirect to an invalid URL");
        return;
      }
      BaseRobotRules rules = robots.get(origin(target));
      if (rules != null && !rules.isAllowed(target.toString())) {
        skip("robots.txt after a redirect");
        return;
      }
      offer(List.of(new CrawlTask(0, task.kind(), target.toString(), task.depth(), task.pageUrl(),
          task.text(), task.pageTitle())));
    }

    void skip(String reason) {
      skip(reason, 1);
    }

    void skip(String reason, long n) {
      skipped.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(n);
    }

    void fail(String url, String message) {
      failures.add(new CrawlFailure(url, message));
    }

    String onPage(CrawlTask task) {
      return task.pageUrl().isEmpty() ? "" : " (on " + task.pageUrl() + ")";
    }
  }
}
