package dev.loupe.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loupe.crawl.ParsedPage.PageImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the crawler takes from HTML, and how it reads opt-outs. */
class PageParserTest {
  private final PageParser parser = new PageParser("LoupeBot");

  @Test
  void imagesLinksAndTitle() {
    ParsedPage page = parser.parse("""
        <html><head><title> Gallery </title>
        <meta property="og:image" content="https://cdn.example/og.jpg">
        <meta property="og:image:alt" content="Cover"></head><body>
        <img src="a.jpg" alt="A">
        <img srcset="b-2x.jpg 2x, b-1x.jpg 1x, b-3x.jpg 3x">
        <img srcset="c-640.jpg 640w, c-bad.jpg 12q, c-1280.jpg 1280w" sizes="50vw" src="c.jpg">
        <img src="placeholder.gif" data-lazy-src="d.jpg" title="D">
        <img data-original="e.jpg">
        <picture><source srcset="f-800.webp 800w"><source srcset="f-1600.webp 1600w"><img src="f.jpg"></picture>
        <figure><img src="g.jpg"><figcaption> Caption of g </figcaption></figure>
        <img src="data:image/png;base64,iVBORw0KGgo=">
        <img src="a.jpg#again" alt="duplicate">
        <a href="/next.html#top">next</a> <a href="mailto:x@example.org">mail</a>
        <a rel="nofollow" href="/ads.html">ad</a> <a href="next.html">again</a>
        </body></html>""", "https://site.example/dir/page.html");

    assertEquals("Gallery", page.title());
    assertEquals(List.of("https://site.example/next.html", "https://site.example/dir/next.html"), page.links());
    String d = "https://site.example/dir/";
    assertEquals(List.of(
        new PageImage(d + "a.jpg", "A"),
        new PageImage(d + "b-3x.jpg", ""),
        new PageImage(d + "c-1280.jpg", ""),
        new PageImage(d + "d.jpg", "D"),
        new PageImage(d + "e.jpg", ""),
        new PageImage(d + "f-1600.webp", ""),
        new PageImage(d + "g.jpg", "Caption of g"),
        new PageImage("https://cdn.example/og.jpg", "Cover")), page.images());
    assertEquals(RobotsDirectives.NONE, page.directives());
  }

  @Test
  void metaRobotsForAllAndForThisCrawler() {
    assertEquals(new RobotsDirectives(false, true, true, false), parser.parse(
        "<meta name=robots content='NoImageIndex'><meta name=loupebot content=nofollow>"
            + "<meta name=otherbot content=noindex>", "https://site.example/").directives());
  }

  @Test
  void xRobotsTagHeaders() {
    assertEquals(new RobotsDirectives(true, true, false, false),
        RobotsDirectives.fromHeaders(List.of("none"), "loupebot"));
    assertEquals(new RobotsDirectives(false, false, false, true),
        RobotsDirectives.fromHeaders(List.of("otherbot: noindex", "LoupeBot: noimageai"), "loupebot"));
    assertEquals(RobotsDirectives.NONE,
        RobotsDirectives.fromHeaders(List.of("unavailable_after: 25 Jun 2030 15:00:00 PST"), "loupebot"));
    assertEquals("noai", new RobotsDirectives(false, false, false, true).imageOptOut());
  }
}
