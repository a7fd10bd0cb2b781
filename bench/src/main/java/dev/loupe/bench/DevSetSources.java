package dev.loupe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Which installed Debian files feed each part of the dev set. The four groups are disjoint, so a
 * negative can never be a copy of an original or a distractor: originals are photographs and the
 * GNOME art; distractor wallpapers and negative wallpapers are two separate sets of the remaining
 * wallpapers and of the Tux Paint template photographs; stamps are split by top-level category,
 * because the stamps of one category share drawings, fills and glyphs across its directories.
 *
 * @param originals full-size photographs and wallpapers, one original each
 * @param distractorWallpapers wallpapers and photographs cut into distractor tiles
 * @param negativeWallpapers wallpapers and photographs held out for negatives
 * @param distractorStamps Tux Paint stamps flattened into distractors
 * @param negativeStamps Tux Paint stamps held out for negatives
 */
record DevSetSources(
    List<Path> originals,
    List<Path> distractorWallpapers,
    List<Path> negativeWallpapers,
    List<Path> distractorStamps,
    List<Path> negativeStamps) {

  /**
   * A Debian package the sources come from, with the licence its {@code copyright} file gives for
   * the images used.
   */
  record DebianPackage(String name, String licence) {}

  /** The packages, in the order {@code bench/fetch-data.sh} lists them; it installs them. */
  static final List<DebianPackage> PACKAGES = List.of(
      new DebianPackage("gnome-backgrounds", "CC-BY-SA-3.0"),
      new DebianPackage("lomiri-wallpapers", "CC-BY-SA-3.0 (warty-final-ubuntu.png; the default background has no entry of its own)"),
      new DebianPackage("lomiri-wallpapers-16.04", "CC-BY-4.0, CC-BY-SA-4.0, CC-BY-SA-3.0 or CC0-1.0, per file"),
      new DebianPackage("lomiri-wallpapers-20.04", "CC-BY-4.0, CC-BY-SA-4.0, CC-BY-SA-3.0 or CC0-1.0, per file"),
      new DebianPackage("mate-backgrounds", "GPL-2+, CC-BY-SA-4.0 for the Ubuntu MATE backgrounds"),
      new DebianPackage("plasma-workspace-wallpapers", "GPL-2+"),
      new DebianPackage("ukui-wallpapers", "CC-BY-SA-3.0"),
      new DebianPackage("tuxpaint-stamps-default", "GPL-2"),
      new DebianPackage("tuxpaint-data", "GPL-2+"),
      new DebianPackage("sway-backgrounds", "Expat"));

  private static final List<String> PLASMA_ORIGINALS = List.of(
      "Autumn", "BytheWater", "ColdRipple", "ColorfulCups", "EveningGlow", "FallenLeaf", "OneStandsOut", "Path");
  private static final List<String> PLASMA_DISTRACTORS = List.of(
      "Altai", "Canopee", "Cascade", "Cluster", "Elarun", "Flow", "FlyingKonqui", "Honeywave", "IceCold",
      "Kokkini", "MilkyWay", "Opal", "Patak", "SafeLanding", "Volna");
  private static final List<String> PLASMA_NEGATIVES = List.of(
      "DarkestHour", "Grey", "Kay", "Kite", "PastelHills", "Shell", "summer_1am");
  private static final List<String> UKUI_DISTRACTORS = List.of(
      "2004default.jpg", "calla.png", "city.png", "desert.png", "firstgeneration.jpg", "fluent-color.png",
      "focal-ubuntukylin.png", "rhythm.jpg", "rollpaper.png", "string.jpg");
  private static final List<String> UKUI_NEGATIVES = List.of("goldfish.png", "the-mouse.jpg");
  private static final List<String> MATE_DISTRACTORS = List.of(
      "abstract/Elephants_3840x2160.jpg", "desktop/Float-into-MATE.png", "desktop/GreenTraditional.jpg",
      "desktop/Ubuntu-Mate-Cold-no-logo.png", "desktop/Ubuntu-Mate-Warm-no-logo.png");

  /**
   * Every third stamp category, in sorted order, is held out for negatives; so is every third Tux
   * Paint template photograph.
   */
  private static final int HOLD_OUT_EVERY = 3;

  /** The sources under a Debian {@code /usr/share}; fails naming the package to install when one is missing. */
  static DevSetSources debian(Path share) {
    Path backgrounds = share.resolve("backgrounds");
    Path wallpapers = share.resolve("wallpapers");

    var originals = new ArrayList<Path>();
    originals.addAll(list(backgrounds.resolve("gnome"), "gnome-backgrounds",
        p -> p.toString().endsWith(".webp") && !p.getFileName().toString().startsWith("vnc-")));
    originals.addAll(list(backgrounds, "lomiri-wallpapers-16.04",
        p -> p.getFileName().toString().contains("_by_") && p.toString().endsWith(".jpg")));
    originals.addAll(list(backgrounds.resolve("mate/nature"), "mate-backgrounds", p -> p.toString().endsWith(".jpg")));
    for (String name : PLASMA_ORIGINALS) {
      originals.add(largestPlasmaImage(wallpapers.resolve(name)));
    }

    var distractorWallpapers = new ArrayList<Path>();
    for (String name : PLASMA_DISTRACTORS) {
      distractorWallpapers.add(largestPlasmaImage(wallpapers.resolve(name)));
    }
    for (String name : UKUI_DISTRACTORS) {
      distractorWallpapers.add(require(backgrounds.resolve(name), "ukui-wallpapers"));
    }
    for (String name : MATE_DISTRACTORS) {
      distractorWallpapers.add(require(backgrounds.resolve("mate").resolve(name), "mate-backgrounds"));
    }
    distractorWallpapers.add(require(backgrounds.resolve("lomiri-default-background.png"), "lomiri-wallpapers"));
    distractorWallpapers.add(require(backgrounds.resolve("warty-final-ubuntu.png"), "lomiri-wallpapers"));
    distractorWallpapers.add(require(backgrounds.resolve("sway/Sway_Wallpaper_Blue_2048x1536.png"), "sway-backgrounds"));

    var negativeWallpapers = new ArrayList<Path>();
    for (String name : PLASMA_NEGATIVES) {
      negativeWallpapers.add(largestPlasmaImage(wallpapers.resolve(name)));
    }
    for (String name : UKUI_NEGATIVES) {
      negativeWallpapers.add(require(backgrounds.resolve(name), "ukui-wallpapers"));
    }
    // Tux Paint's templates are photographs (bark, cliffs, sea, sheep, trees...).
    List<Path> templates = list(share.resolve("tuxpaint/templates"), "tuxpaint-data", p -> p.toString().endsWith(".jpg"));
    for (int i = 0; i < templates.size(); i++) {
      (heldOut(i) ? negativeWallpapers : distractorWallpapers).add(templates.get(i));
    }

    // Group stamps by top-level category (animals, food, symbols...), not by directory: the
    // directories of one category share drawings, fill textures and glyphs (the English, German
    // and Spanish alphabets draw the same letters with the same fill), so a stamp held out of one
    // directory can be a genuine partial copy of a stamp in its neighbour. *_mirror.png files are
    // mirrored copies of their neighbours.
    Path stampRoot = share.resolve("tuxpaint/stamps");
    Map<Path, List<Path>> byDirectory = new TreeMap<>();
    for (Path stamp : list(stampRoot, "tuxpaint-stamps-default",
        p -> p.toString().endsWith(".png") && !p.getFileName().toString().endsWith("_mirror.png"))) {
      byDirectory.computeIfAbsent(stampRoot.relativize(stamp).getName(0), d -> new ArrayList<>()).add(stamp);
    }
    var distractorStamps = new ArrayList<Path>();
    var negativeStamps = new ArrayList<Path>();
    int index = 0;
    for (List<Path> stamps : byDirectory.values()) {
      (heldOut(index++) ? negativeStamps : distractorStamps).addAll(stamps);
    }
    return new DevSetSources(List.copyOf(originals), List.copyOf(distractorWallpapers),
        List.copyOf(negativeWallpapers), List.copyOf(distractorStamps), List.copyOf(negativeStamps));
  }

  private static boolean heldOut(int index) {
    return index % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1;
  }

  static List<Path> list(Path directory, String pkg, java.util.function.Predicate<Path> keep) {
    require(directory, pkg);
    try (Stream<Path> files = Files.walk(directory)) {
      List<Path> found = files.filter(Files::isRegularFile).filter(keep).sorted().toList();
      if (found.isEmpty()) {
        throw new IllegalStateException("no images in " + directory + ": install the Debian package " + pkg);
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  /** Plasma ships one wallpaper at several sizes, named WIDTHxHEIGHT; the largest landscape one is the source. */
  static Path largestPlasmaImage(Path wallpaper) {
    List<Path> sizes = list(wallpaper.resolve("contents/images"), "plasma-workspace-wallpapers",
        p -> p.getFileName().toString().matches("\\d+x\\d+\\.(jpg|png)"));
    Path best = null;
    long bestArea = -1;
    for (Path p : sizes) {
      String[] wh = p.getFileName().toString().replaceAll("\\..*", "").split("x");
      long w = Long.parseLong(wh[0]);
      long h = Long.parseLong(wh[1]);
      if (w >= h && w * h > bestArea) {
        best = p;
        bestArea = w * h;
      }
    }
    if (best == null) {
      throw new IllegalStateException("no landscape image in " + wallpaper);
    }
    return best;
  }

  static Path require(Path path, String pkg) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " is missing: install the Debian package " + pkg);
    }
    return path;
  }
}
