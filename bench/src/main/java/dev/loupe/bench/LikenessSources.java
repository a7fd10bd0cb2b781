package dev.loupe.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled classes of the likeness dev set and the installed Debian files each is made from.
 * A class is a kind or style that follows from where the files come from: a package directory
 * (Tux Paint stamp categories, flags, Adwaita icons) or a named list of wallpapers, photographs
 * on one side and abstract art on the other, split by looking at each picture once (see
 * {@code docs/devset.md}). Wallpapers that are illustrations with figures (Plasma Autumn, Flying
 * Konqui, Safe Landing, Kite; UKUI goldfish, the mouse, first generation) and the transparent
 * MATE abstract PNGs belong to neither and are left out.
 *
 * @param classes class name to its source files, sorted, in a fixed class order
 */
record LikenessSources(Map<String, List<Path>> classes) {

  /** Extra packages beyond {@link DevSetSources#PACKAGES}; {@code bench/fetch-data.sh} installs them. */
  static final List<DevSetSources.DebianPackage> EXTRA_PACKAGES = List.of(
      new DevSetSources.DebianPackage("iso-flags-png-320x240", "public-domain"),
      new DevSetSources.DebianPackage("adwaita-icon-theme", "CC-BY-SA-3.0 or LGPL-3"));

  /** The Tux Paint stamp categories used, each one class. */
  static final List<String> STAMP_CATEGORIES = List.of("animals", "food", "plants", "symbols", "town", "vehicles");

  private static final List<String> PLASMA_PHOTOGRAPHS = List.of(
      "BytheWater", "ColdRipple", "ColorfulCups", "DarkestHour", "EveningGlow", "FallenLeaf", "Grey",
      "OneStandsOut", "Path", "summer_1am");
  private static final List<String> PLASMA_ABSTRACT = List.of(
      "Altai", "Canopee", "Cascade", "Cluster", "Elarun", "Flow", "Honeywave", "IceCold", "Kay", "Kokkini",
      "MilkyWay", "Opal", "PastelHills", "Patak", "Shell", "Volna");
  /** Lomiri's {@code *_by_*} files that are abstract art, not photographs. */
  private static final List<String> LOMIRI_ABSTRACT = List.of(
      "Fossa_by_Jasper_Roks.jpg", "Painting-Colors_by__herobrine7gamer.jpg", "umang_by_Abhishek_Mudgal.jpg");
  private static final List<String> UKUI_ABSTRACT = List.of(
      "2004default.jpg", "calla.png", "city.png", "desert.png", "fluent-color.png", "rhythm.jpg", "rollpaper.png",
      "string.jpg");
  private static final List<String> ADWAITA_ICON_GROUPS = List.of("devices", "mimetypes", "places", "status", "emblems");

  /** The classes under a Debian {@code /usr/share}; fails naming the package to install when one is missing. */
  static LikenessSources debian(Path share) {
    Path backgrounds = share.resolve("backgrounds");
    Path wallpapers = share.resolve("wallpapers");
    Map<String, List<Path>> classes = new LinkedHashMap<>();

    var photographs = new ArrayList<Path>();
    photographs.addAll(DevSetSources.list(backgrounds, "lomiri-wallpapers-16.04",
        p -> p.getFileName().toString().contains("_by_") && p.toString().endsWith(".jpg")
            && !LOMIRI_ABSTRACT.contains(p.getFileName().toString())));
    photographs.addAll(DevSetSources.list(backgrounds.resolve("mate/nature"), "mate-backgrounds",
        p -> p.toString().endsWith(".jpg")));
    photographs.addAll(DevSetSources.list(share.resolve("tuxpaint/templates"), "tuxpaint-data",
        p -> p.toString().endsWith(".jpg")));
    for (String name : PLASMA_PHOTOGRAPHS) {
      photographs.add(DevSetSources.largestPlasmaImage(wallpapers.resolve(name)));
    }
    classes.put("photograph", sorted(photographs));

    var abstractArt = new ArrayList<Path>();
    abstractArt.addAll(DevSetSources.list(backgrounds.resolve("gnome"), "gnome-backgrounds",
        p -> p.toString().endsWith(".webp") && !p.getFileName().toString().startsWith("vnc-")));
    for (String name : PLASMA_ABSTRACT) {
      abstractArt.add(DevSetSources.largestPlasmaImage(wallpapers.resolve(name)));
    }
    for (String name : LOMIRI_ABSTRACT) {
      abstractArt.add(DevSetSources.require(backgrounds.resolve(name), "lomiri-wallpapers-16.04"));
    }
    for (String name : UKUI_ABSTRACT) {
      abstractArt.add(DevSetSources.require(backgrounds.resolve(name), "ukui-wallpapers"));
    }
    abstractArt.add(DevSetSources.require(backgrounds.resolve("lomiri-default-background.png"), "lomiri-wallpapers"));
    abstractArt.add(DevSetSources.require(backgrounds.resolve("warty-final-ubuntu.png"), "lomiri-wallpapers"));
    classes.put("abstract", sorted(abstractArt));

    classes.put("flag", DevSetSources.list(share.resolve("iso-flags-png-320x240"), "iso-flags-png-320x240",
        p -> p.toString().endsWith(".png")));
    var icons = new ArrayList<Path>();
    for (String group : ADWAITA_ICON_GROUPS) {
      icons.addAll(DevSetSources.list(share.resolve("icons/Adwaita/512x512").resolve(group), "adwaita-icon-theme",
          p -> p.toString().endsWith(".png")));
    }
    classes.put("icon", sorted(icons));

    Path stamps = share.resolve("tuxpaint/stamps");
    for (String category : STAMP_CATEGORIES) {
      classes.put("stamp-" + category, DevSetSources.list(stamps.resolve(category), "tuxpaint-stamps-default",
          p -> p.toString().endsWith(".png") && !p.getFileName().toString().endsWith("_mirror.png")));
    }
    return new LikenessSources(classes);
  }

  private static List<Path> sorted(List<Path> paths) {
    return paths.stream().sorted().toList();
  }
}
