package dev.loupe.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.crawl.TestSite.Response;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.fetch.FetchPolicy;
import dev.loupe.image.TestImages;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crawls of generated sites served on loopback, with the real fetcher, parser, index and frontier. */
class CrawlerTest {
  private static final Instant T1 = Instant.parse("2026-01-05T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-02-05T10:00:00Z");
  private static final String ALLOW_ALL = "User-agent: *\nAllow: /\n";

  @TempDir Path dir;
  private final List<TestSite> sites = new ArrayList<>();
  private Loupe loupe;
  private final MutableClock clock = new MutableClock(T1);

  @BeforeEach
  void open() throws IOException {
    LoupeConfig config = LoupeConfig.defaults(dir.resolve("data"));
    FetchPolicy policy = config.fetchPolicy().withPrivateAddressesAllowed()
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)).withMaxBytes(2 << 20);
    loupe = Loupe.open(config.withFetchPolicy(policy));
  }

  @AfterEach
  void close() throws IOException {
    sites.forEach(TestSite::close);
    loupe.close();
  }

  private TestSite site(String address, String robots) throws IOException {
    TestSite site = new TestSite(address);
    sites.add(site);
    if (robots != null) {
      site.put("/robots.txt", Response.text("text/plain", robots));
    }
    return site;
  }

  /** Pixel keys of the pictures this test served, by seed. */
  private final Map<Long, String> served = new TreeMap<>();

  private byte[] png(long seed) {
    byte[] bytes = TestImages.encode(TestImages.scene(160, 120, seed), "png");
    try {
      served.put(seed, loupe.analyzer().analyze(bytes).signature().pixelKey());
    } catch (dev.loupe.image.ImageRejected e) {
      throw new AssertionError(e);
    }
    return bytes;
  }

  private static CrawlSettings settings() {
    return CrawlSettings.defaults().withDefaultDelay(Duration.ofMillis(5)).withWorkers(4);
  }

  private Crawler crawler(CrawlSettings settings) {
    return new Crawler(loupe.index(), loupe.fetcher(), loupe.analyzer(),
        Crawler.frontierFile(dir.resolve("data")), settings, clock);
  }

  private CrawlReport crawl(CrawlSettings settings, String... seeds) throws IOException {
    return crawler(settings).run(List.of(seeds), false, p -> { });
  }

  /** Every occurrence in the index by source, from the images at these URLs. */
  private Map<String, Occurrence> occurrences(TestSite site, String... imagePaths) throws IOException {
    Map<String, Occurrence> all = new TreeMap<>();
    for (String path : imagePaths) {
      Optional<IndexedImage> image = imageAt(site.url(path));
      assertTrue(image.isPresent(), "no image indexed from " + path);
      image.get().occurrences().forEach(o -> all.put(o.source(), o));
    }
    return all;
  }

  private Optional<IndexedImage> imageAt(String url) throws IOException {
    for (String pixelKey : served.values()) {
      var found = loupe.index().imageByPixelKey(pixelKey);
      if (found.isPresent() && found.get().occurrences().stream().anyMatch(o -> url.equals(o.url()))) {
        return found;
      }
    }
    return Optional.empty();
  }

  @Test
  void siteWithRobotsSrcsetPictureLazyAndOgImages() throws IOException {
    TestSite site = site("127.0.0.1",
        "User-agent: *\nDisallow: /\n\nUser-agent: LoupeBot\nDisallow: /private/\n");
    TestSite other = site("127.0.0.2", ALLOW_ALL);
    site.put("/", Response.html("""
        <html><head><title>Home</title>
        <meta property="og:image" content="/og.png"></head><body>
        <img src="/a.png" alt="Stone bridge">
        <img src="/b-small.png" srcset="/b-small.png 100w, /b-large.png 800w, /b-mid.png 400w" title="Lantern">
        <figure><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/c.png"><figcaption>Tea house</figcaption></figure>
        <picture><source srcset="/d-1x.png 1x, /d-2x.png 2x"><img src="/d.png" alt="Pagoda"></picture>
        <a href="/page2.html">next</a> <a href="/private/secret.html">secret</a>
        <a href="%s/elsewhere.html">elsewhere</a>
        </body></html>""".formatted(other.base())));
    site.put("/page2.html", Response.html(
        "<title>Second</title><img src=\"/a.png\" alt=\"Bridge again\"><img src=\"/e.png\">"));
    site.put("/private/secret.html", Response.html("<img src=\"/x.png\">"));
    site.put("/a.png", Response.of("image/png", png(1)));
    site.put("/b-large.png", Response.of("image/png", png(2)));
    site.put("/c.png", Response.of("image/png", png(3)));
    site.put("/d-2x.png", Response.of("image/png", png(4)));
    site.put("/e.png", Response.of("image/png", png(5)));
    site.put("/og.png", Response.of("image/png", png(6)));
    other.put("/elsewhere.html", Response.html("<img src=\"/z.png\">"));

    CrawlReport report = crawl(settings(), site.url("/"));

    assertEquals(List.of(), report.failures());
    assertEquals(2, report.pagesFetched());
    assertEquals(6, report.newImages());
    assertEquals(1, report.newOccurrences(), "a.png on the second page");
    assertEquals(Map.of("robots.txt", 1L, "out of scope", 1L), report.skipped());
    List<String> requested = site.requested();
    assertFalse(requested.contains("/private/secret.html"), requested.toString());
    assertFalse(requested.contains("/b-small.png"), "the largest srcset candidate only: " + requested);
    assertFalse(requested.contains("/d.png"), "the picture's larger source wins: " + requested);
    assertEquals(List.of(), other.requested(), "same-host scope");
    assertTrue(site.requests().stream().allMatch(r -> r.userAgent().contains("LoupeBot")));

    Map<String, Occurrence> found = occurrences(site, "/a.png", "/b-large.png", "/c.png", "/d-2x.png", "/og.png");
    Occurrence onHome = found.get(site.url("/a.png") + " on " + site.url("/"));
    assertEquals(Occurrence.of(site.url("/a.png") + " on " + site.url("/"), site.url("/a.png"),
        site.url("/"), "Stone bridge", T1), onHome);
    assertEquals("Bridge again", found.get(site.url("/a.png") + " on " + site.url("/page2.html")).title());
    assertEquals("Lantern", found.get(site.url("/b-large.png") + " on " + site.url("/")).title());
    assertEquals("Tea house", found.get(site.url("/c.png") + " on " + site.url("/")).title());
    assertEquals("Pagoda", found.get(site.url("/d-2x.png") + " on " + site.url("/")).title());
    assertEquals("Home", found.get(site.url("/og.png") + " on " + site.url("/")).title(),
        "no text of its own: the page title");
  }

  @Test
  void optOutsAreHonouredBeforeImagesAreFetched() throws IOException {
    TestSite site = site("127.0.0.1", ALLOW_ALL);
    site.put("/", Response.html("""
        <a href="/meta-noimageindex.html">1</a><a href="/header-noai.html">2</a>
        <a href="/other-bot.html">3</a><a href="/noindex-nofollow.html">4</a>
        <a href="/meta-noimageai.html">5</a>"""));
    site.put("/meta-noimageindex.html", Response.html(
        "<meta name=\"robots\" content=\"noimageindex\"><img src=\"/1.png\">"));
    site.put("/header-noai.html", Response.html("<img src=\"/2.png\">")
        .withHeaders(Map.of("X-Robots-Tag", "noai")));
    site.put("/other-bot.html", Response.html("<img src=\"/3.png\">")
        .withHeaders(Map.of("X-Robots-Tag", "otherbot: noindex")));
    site.put("/noindex-nofollow.html", Response.html(
        "<meta name=\"LoupeBot\" content=\"noindex, nofollow\"><img src=\"/4.png\"><a href=\"/hidden.html\">h</a>"));
    site.put("/meta-noimageai.html", Response.html(
        "<meta name=\"robots\" content=\"noimageai\"><img src=\"/5.png\">"));
    site.put("/hidden.html", Response.html("<img src=\"/6.png\">"));
    for (int i = 1; i <= 6; i++) {
      site.put("/" + i + ".png", Response.of("image/png", png(10 + i)));
    }

    CrawlReport report = crawl(settings(), site.url("/"));

    assertEquals(List.of(), report.failures());
    assertEquals(1, report.newImages(), "only the page whose opt-out names another crawler");
    assertEquals(Map.of("noimageindex", 1L, "noai", 2L, "noindex", 1L), report.skipped());
    List<String> images = site.requested().stream().filter(p -> p.endsWith(".png")).toList();
    assertEquals(List.of("/3.png"), images);
    assertFalse(site.requested().contains("/hidden.html"), "nofollow");
  }

  @Test
  void sitemapIndexAndImageSitemap() throws IOException {
    TestSite site = site("127.0.0.1", ALLOW_ALL);
    site.put("/sitemap.xml", Response.text("application/xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sitemap><loc>%s/sitemap-images.xml</loc></sitemap>
        </sitemapindex>""".formatted(site.base())));
    site.put("/sitemap-images.xml", Response.text("application/xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
          <url><loc>%1$s/gallery.html</loc>
            <image:image><image:loc>%1$s/only-in-sitemap.png</image:loc>
              <image:caption>Harbour at night</image:caption></image:image>
          </url>
        </urlset>""".formatted(site.base())));
    site.put("/gallery.html", Response.html("<title>Gallery</title><img src=\"/on-page.png\" alt=\"Quay\">"));
    site.put("/only-in-sitemap.png", Response.of("image/png", png(21)));
    site.put("/on-page.png", Response.of("image/png", png(22)));

    CrawlReport report = crawl(settings(), site.url("/sitemap.xml"));

    assertEquals(List.of(), report.failures());
    assertEquals(3, report.pagesFetched(), "two sitemaps and the page");
    assertEquals(2, report.newImages());
    Map<String, Occurrence> found = occurrences(site, "/only-in-sitemap.png", "/on-page.png");
    assertEquals("Harbour at night",
        found.get(site.url("/only-in-sitemap.png") + " on " + site.url("/gallery.html")).title());
    assertEquals("Quay", found.get(site.url("/on-page.png") + " on " + site.url("/gallery.html")).title());
  }

  @Test
  void hostileSiteGetsPreciseMessagesAndLosesNothing() throws IOException {
    TestSite site = site("127.0.0.1", ALLOW_ALL);
    String b = site.base();
    site.put("/", Response.html("""
        <img src="/good.png" alt="Good">
        <a href="/chain">chain</a> <a href="/loop">loop</a> <a href="/slow.html">slow</a>
        <a href="/huge.html">huge</a> <a href="/gone.html">gone</a> <a href="/photo.pdf">pdf</a>
        <img src="/not-an-image.png"> <img src="/broken.png"> <img src="/missing.png">"""));
    site.put("/chain", new Response(302, null, new byte[0], Map.of("Location", "/chain2"), 0));
    site.put("/chain2", new Response(301, null, new byte[0], Map.of("Location", b + "/after-chain.html"), 0));
    site.put("/after-chain.html", Response.html("<title>After</title><img src=\"/chained.png\" alt=\"Chained\">"));
    site.put("/loop", new Response(302, null, new byte[0], Map.of("Location", "/loop2"), 0));
    site.put("/loop2", new Response(302, null, new byte[0], Map.of("Location", "/loop"), 0));
    site.put("/slow.html", Response.html("<img src=\"/never.png\">").withDelay(4000));
    site.put("/huge.html", Response.html("<p>" + "x".repeat(3 << 20)));
    site.put("/photo.pdf", Response.text("application/pdf", "%PDF-1.4"));
    site.put("/good.png", Response.of("image/png", png(31)));
    site.put("/chained.png", Response.of("image/png", png(32)));
    site.put("/not-an-image.png", Response.html("<p>an error page"));
    site.put("/broken.png", Response.of("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}));

    CrawlReport report = crawl(settings(), site.url("/"));

    Map<String, String> failures = new TreeMap<>();
    report.failures().forEach(f -> failures.put(f.url(), f.message()));
    assertEquals(Map.of(
        b + "/loop", b + "/loop: more than 5 redirects",
        b + "/slow.html", b + "/slow.html: no complete response within 2 s",
        b + "/huge.html", b + "/huge.html: response is " + ((3 << 20) + 3) + " bytes; at most 2097152 bytes are allowed",
        b + "/gone.html", b + "/gone.html: HTTP 404",
        b + "/photo.pdf", b + "/photo.pdf: content type application/pdf is not one of application/xhtml+xml, text/html",
        b + "/not-an-image.png", b + "/not-an-image.png: content type text/html is not an image (on " + b + "/)",
        b + "/broken.png", b + "/broken.png: unsupported format: not a recognised image"
            + " (starts with 89 50 4e 47 00 00) (on " + b + "/)",
        b + "/missing.png", b + "/missing.png: HTTP 404 (on " + b + "/)"), failures);
    assertEquals(2, report.newImages(), "the good images are indexed despite the rest");
    assertEquals("Chained", occurrences(site, "/chained.png")
        .get(site.url("/chained.png") + " on " + site.url("/after-chain.html")).title(),
        "a redirected page is recorded at its final URL");
    assertEquals(2, loupe.index().stats().images());
  }

  @Test
  void everyRedirectHopIsCheckedAgainstItsOwnHostsRobotsTxt() throws IOException {
    TestSite site = site("127.0.0.1", "User-agent: *\nDisallow: /private/\n");
    TestSite other = site("127.0.0.2", "User-agent: *\nDisallow: /secret.html\nDisallow: /hidden.png\n");
    String b = other.base();
    site.put("/", Response.html("""
        <a href="/old">old</a> <a href="/moved">moved</a> <a href="/away">away</a>
        <img src="/img/photo.png" alt="Harbour"> <img src="/img/hidden.png" alt="Hidden">"""));
    site.put("/old", redirect(301, "/private/page.html"));
    site.put("/private/page.html", Response.html("<img src=\"/never.png\">"));
    site.put("/moved", redirect(302, b + "/landing.html"));
    site.put("/away", redirect(302, b + "/secret.html"));
    site.put("/img/photo.png", redirect(302, b + "/photo.png"));
    site.put("/img/hidden.png", redirect(307, b + "/hidden.png"));
    other.put("/landing.html", Response.html("<title>Landing</title><img src=\"/landed.png\" alt=\"Quay\">"));
    other.put("/secret.html", Response.html("<img src=\"/never.png\">"));
    other.put("/photo.png", Response.of("image/png", png(41)));
    other.put("/hidden.png", Response.of("image/png", png(42)));
    other.put("/landed.png", Response.of("image/png", png(43)));

    CrawlReport report = crawl(settings().withScope(CrawlScope.ANY, null), site.url("/"));

    assertEquals(List.of(), report.failures());
    // A target on a host whose robots.txt is not read yet is queued and skipped when its turn
    // comes, under "robots.txt": which of the two counts it lands in depends on which thread reads
    // the other host's robots.txt first. The three targets are skipped either way.
    Map<String, Long> skipped = report.skipped();
    assertTrue(Set.of("robots.txt after a redirect", "robots.txt").containsAll(skipped.keySet()), skipped.toString());
    assertEquals(3L, skipped.values().stream().mapToLong(Long::longValue).sum(), skipped.toString());
    // The same host's target is always checked at the hop: that host's robots.txt came first.
    assertTrue(skipped.getOrDefault("robots.txt after a redirect", 0L) >= 1, skipped.toString());
    assertFalse(site.requested().contains("/private/page.html"), site.requested().toString());
    List<String> onOther = other.requested();
    assertEquals("/robots.txt", onOther.get(0), "the other host's robots.txt comes first: " + onOther);
    assertFalse(onOther.contains("/secret.html"), onOther.toString());
    assertFalse(onOther.contains("/hidden.png"), onOther.toString());
    assertEquals(2, report.newImages(), "the redirected picture and the landing page's");
    assertEquals("Harbour", occurrences(other, "/photo.png")
        .get(other.url("/photo.png") + " on " + site.url("/")).title(),
        "a redirected picture keeps the page and text it was found with");
    assertEquals("Quay", occurrences(other, "/landed.png")
        .get(other.url("/landed.png") + " on " + other.url("/landing.html")).title());
  }

  private static Response redirect(int status, String location) {
    return new Response(status, null, new byte[0], Map.of("Location", location), 0);
  }

  @Test
  void recrawlBuildsProvenanceWithConditionalGets() throws IOException {
    TestSite site = site("127.0.0.1", ALLOW_ALL);
    site.put("/", Response.html("<title>Home</title><img src=\"/kept.png\" alt=\"Kept\"><a href=\"/news.html\">n</a>")
        .withHeaders(Map.of("ETag", "\"home-1\"")));
    site.put("/news.html", Response.html("<img src=\"/old.png\" alt=\"Old\">"));
    Response kept = Response.of("image/png", png(41)).withHeaders(Map.of("ETag", "\"kept\""));
    site.put("/kept.png", exchange -> "\"kept\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))
        ? new Response(304, null, new byte[0], Map.of("ETag", "\"kept\""), 0) : kept);
    site.put("/old.png", Response.of("image/png", png(42)));
    site.put("/new.png", Response.of("image/png", png(43)));

    CrawlReport first = crawl(settings(), site.url("/"));
    assertEquals(2, first.newImages());

    // A month later the home page is unchanged (304) and the news page shows another picture.
    clock.set(T2);
    site.put("/", exchange -> "\"home-1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))
        ? new Response(304, null, new byte[0], Map.of("ETag", "\"home-1\""), 0)
        : Response.html("changed"));
    site.put("/news.html", Response.html("<img src=\"/new.png\" alt=\"New\"><img src=\"/kept.png\" alt=\"Kept too\">"));
    CrawlReport second = crawl(settings(), site.url("/"));

    assertEquals(List.of(), second.failures());
    assertEquals(1, second.pagesUnchanged());
    assertEquals(1, second.pagesFetched());
    assertEquals(1, second.newImages(), "new.png");
    assertEquals(1, second.newOccurrences(), "kept.png on the news page");
    assertEquals(1, second.seenAgain(), "kept.png on the unchanged home page");
    List<TestSite.Request> keptRequests = site.requests().stream()
        .filter(r -> r.path().equals("/kept.png")).toList();
    assertEquals(2, keptRequests.size(), "once per crawl, though seen on two pages in the second");
    assertEquals("\"kept\"", keptRequests.get(1).ifNoneMatch(), "a conditional GET, answered 304");
    assertEquals(1, site.count("/old.png"));
    Map<String, Occurrence> found = occurrences(site, "/kept.png", "/old.png", "/new.png");
    assertEquals(new Occurrence(site.url("/kept.png") + " on " + site.url("/"), site.url("/kept.png"),
        site.url("/"), "Kept", T1, T2), found.get(site.url("/kept.png") + " on " + site.url("/")));
    assertEquals(Occurrence.of(site.url("/kept.png") + " on " + site.url("/news.html"), site.url("/kept.png"),
        site.url("/news.html"), "Kept too", T2), found.get(site.url("/kept.png") + " on " + site.url("/news.html")));
    assertEquals(Occurrence.of(site.url("/old.png") + " on " + site.url("/news.html"), site.url("/old.png"),
        site.url("/news.html"), "Old", T1), found.get(site.url("/old.png") + " on " + site.url("/news.html")),
        "gone from the page: last seen at the first crawl");
  }

  @Test
  void stoppedCrawlResumesWithoutRefetching() throws IOException {
    TestSite site = site("127.0.0.1", ALLOW_ALL);
    StringBuilder home = new StringBuilder("<title>Many</title>");
    for (int i = 0; i < 12; i++) {
      home.append("<img src=\"/").append(i).append(".png\">");
      site.put("/" + i + ".png", Response.of("image/png", png(50 + i)).withDelay(40));
    }
    site.put("/", Response.html(home.toString()));
    CrawlSettings one = settings().withWorkers(1);
    Crawler crawler = crawler(one);
    CrawlReport stopped = crawler.run(List.of(site.url("/")), false, p -> {
      if (p.images() >= 3) {
        crawler.stop();
      }
    });
    assertFalse(stopped.resumed());
    assertTrue(stopped.images() >= 3 && stopped.images() < 12, "stopped early: " + stopped.images());

    CrawlReport resumed = crawl(one, site.url("/"));
    assertTrue(resumed.resumed());
    assertEquals(12, stopped.newImages() + resumed.newImages());
    assertEquals(0, resumed.pagesFetched(), "the page was done before the stop");
    assertEquals(1, site.count("/"));
    for (int i = 0; i < 12; i++) {
      assertEquals(1, site.count("/" + i + ".png"), i + ".png fetched once");
    }
  }

  @Test
  void oneRequestAtATimePerHostWithTheCrawlDelay() throws IOException {
    TestSite a = site("127.0.0.1", "User-agent: *\nCrawl-delay: 0.2\n");
    TestSite b = site("127.0.0.2", ALLOW_ALL);
    StringBuilder pageA = new StringBuilder();
    StringBuilder pageB = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      pageA.append("<img src=\"/").append(i).append(".png\">");
      pageB.append("<img src=\"/").append(i).append(".png\">");
      a.put("/" + i + ".png", Response.of("image/png", png(70 + i)).withDelay(20));
      b.put("/" + i + ".png", Response.of("image/png", png(80 + i)).withDelay(20));
    }
    a.put("/", Response.html(pageA + "<a href=\"" + b.url("/") + "\">b</a>"));
    b.put("/", Response.html(pageB.toString()));
    CrawlSettings settings = settings().withScope(CrawlScope.ANY, null)
        .withDefaultDelay(Duration.ofMillis(100)).withWorkers(8);

    CrawlReport report = crawl(settings, a.url("/"));

    assertEquals(8, report.newImages());
    assertGaps(a, 200);
    assertGaps(b, 100);
  }

  private static void assertGaps(TestSite site, long millis) {
    List<TestSite.Request> requests = new ArrayList<>(site.requests());
    requests.sort(Comparator.comparingLong(TestSite.Request::startNanos));
    assertEquals(6, requests.size(), "robots.txt, the page, four images");
    for (int i = 1; i < requests.size(); i++) {
      long gap = requests.get(i).startNanos() - requests.get(i - 1).endNanos();
      assertTrue(gap >= millis * 1_000_000 * 9 / 10, // the server logs its end a little after the client
          site.base() + ": " + requests.get(i).path() + " started " + gap / 1_000_000 + " ms after the previous request");
    }
  }

  @Test
  void limitsOnPagesAndScopeByRegistrableDomain() throws IOException {
    assertEquals("example.co.uk", Crawler.registrableDomain("img.example.co.uk"));
    assertEquals("example.com", Crawler.registrableDomain("www.example.com"));
    assertEquals("127.0.0.1", Crawler.registrableDomain("127.0.0.1"));
    TestSite site = site("127.0.0.1", ALLOW_ALL);
    StringBuilder links = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      links.append("<a href=\"/p").append(i).append(".html\">p</a>");
      site.put("/p" + i + ".html", Response.html("<p>page " + i));
    }
    site.put("/", Response.html(links.toString()));
    CrawlReport report = crawl(settings().withLimits(3, 3, 100, 5, 1 << 20), site.url("/"));
    assertEquals(3, report.pagesFetched());
    assertEquals(Map.of("page limit", 3L), report.skipped());
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
